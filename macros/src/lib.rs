//! leptos-live's `view!`: Leptos's [`view!`](https://docs.rs/leptos/latest/leptos/macro.view.html),
//! with each HTML element of the template carrying the file and line it was written at
//! (`data-lv-at="src/room.rs:42"`), so that the browser's inspector says which template made an
//! element. The attribute is there only in development: in a debug build, and while the engine
//! renders with debug annotations on (`LiveConfig::debug_annotations`, `LEPTOS_LIVE_DEV`).
//! Otherwise its value is `None`, and Leptos writes no attribute at all.
//!
//! Use it through `leptos_live::view`, which shadows the prelude's:
//!
//! ```ignore
//! use leptos::prelude::*;
//! use leptos_live::view;
//! fn card() -> impl IntoView {
//!     view! { <article class="card"><h2>"Title"</h2></article> }
//! }
//! ```
//!
//! Only elements are annotated (lower-case tag names: `<div>`, `<lv-slot>`); components
//! (`<Button>`) are left as they are, since their props are their own. Everything else passes to
//! Leptos's `view!` untouched.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// Leptos's `view!`, each element carrying its source line in development: see the crate's
/// documentation.
#[proc_macro]
pub fn view(input: TokenStream) -> TokenStream {
    let annotated = annotate(input);
    let mut out: Vec<TokenTree> = path(&["leptos", "view"]);
    out.push(Punct::new('!', Spacing::Alone).into());
    out.push(Group::new(Delimiter::Brace, annotated).into());
    out.into_iter().collect()
}

/// `::a::b` as tokens.
fn path(segments: &[&str]) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for s in segments {
        out.push(Punct::new(':', Spacing::Joint).into());
        out.push(Punct::new(':', Spacing::Alone).into());
        out.push(Ident::new(s, Span::call_site()).into());
    }
    out
}

/// The template's tokens with ` data-lv-at={::leptos_live::debug::src("FILE:LINE")}` after the
/// name of each element that opens at the top level of the template (Rust code in braces is
/// left alone: a `view!` inside it is a macro call of its own).
fn annotate(input: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let opens = matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == '<')
            && element_position(i.checked_sub(1).map(|k| &tokens[k]))
            && matches!(tokens.get(i + 1), Some(TokenTree::Ident(name)) if starts_lowercase(name));
        if !opens {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        let at = tokens[i].span();
        out.push(tokens[i].clone());
        i += 1;
        // The name: an identifier, then `-identifier` pieces (`lv-slot`, `my-widget`).
        out.push(tokens[i].clone());
        i += 1;
        while let (Some(TokenTree::Punct(dash)), Some(TokenTree::Ident(_))) =
            (tokens.get(i), tokens.get(i + 1))
        {
            if dash.as_char() != '-' {
                break;
            }
            out.push(tokens[i].clone());
            out.push(tokens[i + 1].clone());
            i += 2;
        }
        out.extend(attribute(at));
    }
    out.into_iter().collect()
}

/// Whether a `<` after `before` can open an element: at the start, or after a tag's end, a text
/// literal or a block (not after an identifier or `::`, where it compares or names a type).
fn element_position(before: Option<&TokenTree>) -> bool {
    match before {
        None => true,
        Some(TokenTree::Punct(p)) => p.as_char() == '>',
        Some(TokenTree::Literal(_) | TokenTree::Group(_)) => true,
        Some(TokenTree::Ident(_)) => false,
    }
}

fn starts_lowercase(name: &Ident) -> bool {
    name.to_string()
        .starts_with(|c: char| c.is_ascii_lowercase())
}

/// ` data-lv-at={::leptos_live::debug::src("FILE:LINE")}` for an element written at `at`.
fn attribute(at: Span) -> Vec<TokenTree> {
    let place = format!("{}:{}", at.file(), at.line());
    let mut call: Vec<TokenTree> = path(&["leptos_live", "debug", "src"]);
    call.push(
        Group::new(
            Delimiter::Parenthesis,
            TokenTree::from(Literal::string(&place)).into(),
        )
        .into(),
    );
    vec![
        Ident::new("data", at).into(),
        Punct::new('-', Spacing::Alone).into(),
        Ident::new("lv", at).into(),
        Punct::new('-', Spacing::Alone).into(),
        Ident::new("at", at).into(),
        Punct::new('=', Spacing::Alone).into(),
        Group::new(Delimiter::Brace, call.into_iter().collect()).into(),
    ]
}

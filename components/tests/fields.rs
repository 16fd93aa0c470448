//! Fields: the label, hint and errors of every control are tied to it the same way, through
//! [`Field`].

use leptos::prelude::*;
use leptos_live_components::{Field, Input, NumberField, Select, Textarea};

/// The value of attribute `name` on the element with id `id` in `html` (which quotes every
/// attribute with `"`).
fn attr(html: &str, id: &str, name: &str) -> Option<String> {
    let at = html.find(&format!(r#"id="{id}""#))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    let tag = &html[start..end];
    let key = format!(r#" {name}=""#);
    let from = tag.find(&key)? + key.len();
    Some(tag[from..].split('"').next()?.to_string())
}

fn plans() -> Vec<(String, String)> {
    vec![
        ("free".to_string(), "Free".to_string()),
        ("team".to_string(), "Team".to_string()),
    ]
}

#[test]
fn a_field_ties_its_label_hint_and_errors_to_its_control() {
    let errors = || vec!["is too short".to_string(), "has letters".to_string()];
    let html = view! {
        <Field id="code" label="Code" hint="Six digits" errors=errors() show_errors=true let:control>
            <input id=control.id name="code" aria-invalid=control.invalid aria-describedby=control.described_by />
        </Field>
    }
    .to_html();
    assert!(html.starts_with("<div><label for=\"code\""), "{html}");
    assert!(html.contains(">Code</label>"), "{html}");
    assert_eq!(attr(&html, "code", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        attr(&html, "code", "aria-describedby").as_deref(),
        Some("code-hint code-errors")
    );
    assert!(
        html.contains(r#"<p id="code-hint" class="mt-1 text-sm text-slate-500">Six digits</p>"#)
    );
    assert_eq!(attr(&html, "code-errors", "role").as_deref(), Some("alert"));
    assert!(
        html.contains("<p>is too short</p><p>has letters</p>"),
        "{html}"
    );
    // The hint comes before the errors, both after the control.
    let (at_control, at_hint, at_errors) = (
        html.find(r#"name="code""#),
        html.find(r#"<p id="code-hint""#),
        html.find(r#"id="code-errors""#),
    );
    assert!(at_control < at_hint && at_hint < at_errors, "{html}");

    // Errors not shown yet (the field was not touched): the hint alone describes it.
    let quiet = view! {
        <Field id="code" label="Code" hint="Six digits" errors=errors() let:control>
            <input id=control.id aria-invalid=control.invalid aria-describedby=control.described_by />
        </Field>
    }
    .to_html();
    assert_eq!(
        attr(&quiet, "code", "aria-describedby").as_deref(),
        Some("code-hint")
    );
    assert!(
        !quiet.contains("aria-invalid") && !quiet.contains("code-errors"),
        "{quiet}"
    );

    // Neither hint nor errors: nothing describes it.
    let bare = view! {
        <Field id="code" label="Code" let:control>
            <input id=control.id aria-invalid=control.invalid aria-describedby=control.described_by />
        </Field>
    }
    .to_html();
    assert!(
        !bare.contains("aria-describedby") && !bare.contains("code-hint"),
        "{bare}"
    );
}

#[test]
fn a_select_is_described_by_its_errors_and_its_hint() {
    let html = view! {
        <Select name="plan" label="Plan" options=plans() value="team" errors=vec!["is full".into()] show_errors=true />
    }
    .to_html();
    assert_eq!(
        attr(&html, "plan", "aria-describedby").as_deref(),
        Some("plan-errors")
    );
    assert_eq!(attr(&html, "plan", "aria-invalid").as_deref(), Some("true"));
    assert!(html.contains(r#"<div id="plan-errors" role="alert""#) && html.contains("is full"));
    assert!(
        html.contains(r#"<label for="plan""#) && html.contains(r#"<option value="team" selected"#)
    );

    let hinted =
        view! { <Select name="plan" label="Plan" options=plans() hint="Change it later." /> }
            .to_html();
    assert_eq!(
        attr(&hinted, "plan", "aria-describedby").as_deref(),
        Some("plan-hint")
    );
    assert!(!hinted.contains("aria-invalid"), "{hinted}");

    let bare = view! { <Select name="plan" label="Plan" options=plans() /> }.to_html();
    assert!(!bare.contains("aria-describedby"), "{bare}");
}

/// Each control renders the same field around it: label, control, hint and errors, ids from
/// its name.
#[test]
fn every_control_is_a_field() {
    let errors = || vec!["is wrong".to_string()];
    let controls = [
        ("email", view! { <Input name="email" label="L" hint="H" errors=errors() show_errors=true /> }.to_html()),
        ("bio", view! { <Textarea name="bio" label="L" hint="H" errors=errors() show_errors=true /> }.to_html()),
        ("plan", view! { <Select name="plan" label="L" options=plans() hint="H" errors=errors() show_errors=true /> }.to_html()),
        ("step", view! { <NumberField name="step" label="L" value=2 hint="H" errors=errors() show_errors=true /> }.to_html()),
    ];
    for (name, html) in controls {
        assert!(
            html.starts_with(&format!(r#"<div><label for="{name}""#)),
            "{html}"
        );
        assert_eq!(attr(&html, name, "name").as_deref(), Some(name), "{html}");
        assert_eq!(
            attr(&html, name, "aria-invalid").as_deref(),
            Some("true"),
            "{html}"
        );
        assert_eq!(
            attr(&html, name, "aria-describedby"),
            Some(format!("{name}-hint {name}-errors")),
            "{html}"
        );
        assert!(html.contains(&format!(r#"<p id="{name}-hint""#)), "{html}");
        assert!(
            html.contains(&format!(r#"<div id="{name}-errors" role="alert""#)),
            "{html}"
        );
    }
}

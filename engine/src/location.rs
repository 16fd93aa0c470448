//! The URL of the page being rendered, for links that mark the page shown.
//!
//! The engine renders a page, its components and its live session's layout with the page's path
//! and query as context. A link whose `href` equals it is the link to the page shown, and gets
//! `aria-current="page"` in the HTML the server sends, the first HTTP render included. The shim
//! applies the same rule to `lv-navigate` and `lv-patch` links after each live navigation and
//! patch (the layout is rendered once and stays in place across them), so both agree.
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_live::location::aria_current;
//! fn nav() -> impl IntoView {
//!     view! {
//!         <a href="/" lv-navigate="" aria-current=aria_current("/")>"Home"</a>
//!         <a href="/about" lv-navigate="" aria-current=aria_current("/about")>"About"</a>
//!     }
//! }
//! ```

use std::sync::Arc;

use leptos::prelude::{provide_context, use_context};

/// The path and query of the page being rendered, as context.
#[derive(Clone, Debug)]
struct Current(Arc<str>);

/// Makes `url` (a path and query) the current URL for what renders in the reactive owner this
/// is called in.
pub(crate) fn provide(url: &str) {
    provide_context(Current(Arc::from(url)));
}

/// The path and query of the page being rendered (`/users?page=2`): inside a page's view, its
/// components' and its layout's. `None` outside a render by the engine.
///
/// ```
/// // Outside a render there is no page.
/// assert_eq!(leptos_live::location::current_url(), None);
/// ```
pub fn current_url() -> Option<String> {
    use_context::<Current>().map(|c| c.0.to_string())
}

/// `Some("page")` when `href` is the URL of the page being rendered, for a link's
/// `aria-current` attribute: `aria-current=aria_current(href)`. The comparison is exact, on the
/// attribute's text: `/users?page=2` is not the link to `/users?page=1`, nor to `/users`.
///
/// ```
/// // Outside a render no link is current.
/// assert_eq!(leptos_live::location::aria_current("/"), None);
/// ```
pub fn aria_current(href: &str) -> Option<&'static str> {
    use_context::<Current>()
        .is_some_and(|c| *c.0 == *href)
        .then_some("page")
}

#[cfg(test)]
mod tests {
    use leptos::prelude::Owner;

    use super::*;

    #[test]
    fn only_the_exact_url_is_current() {
        Owner::new().with(|| {
            provide("/users?page=2");
            assert_eq!(current_url().as_deref(), Some("/users?page=2"));
            assert_eq!(aria_current("/users?page=2"), Some("page"));
            assert_eq!(aria_current("/users?page=1"), None);
            assert_eq!(aria_current("/users"), None);
        });
    }

    #[test]
    fn an_owner_inside_the_render_sees_it() {
        Owner::new().with(|| {
            provide("/");
            assert_eq!(Owner::new().with(|| aria_current("/")), Some("page"));
        });
    }
}

//! Debug annotations of templates: which file and line wrote an element, for the browser's
//! inspector, in development only. [`crate::view!`] writes `data-lv-at={debug::src("FILE:LINE")}`
//! on each element of a template; [`src`] makes it an attribute only in a debug build and while
//! the engine renders with [`crate::LiveConfig::debug_annotations`] on (`LEPTOS_LIVE_DEV`), and
//! nothing otherwise.
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_live::view;
//! // Outside a render with annotations on, no attribute:
//! let html = Owner::new().with(|| view! { <p class="note">"hi"</p> }.to_html());
//! assert_eq!(html, r#"<p class="note">hi</p>"#);
//! ```

use std::cell::Cell;

thread_local! {
    /// Whether the render under way on this thread carries debug annotations.
    static ANNOTATING: Cell<bool> = const { Cell::new(false) };
}

/// `place` (`"src/room.rs:42"`) as the value of an element's `data-lv-at`, when the render
/// under way carries debug annotations in a debug build; `None` (no attribute) otherwise.
///
/// ```
/// assert_eq!(leptos_live::debug::src("src/lib.rs:7"), None);   // outside an annotated render
/// ```
pub fn src(place: &'static str) -> Option<&'static str> {
    (cfg!(debug_assertions) && ANNOTATING.with(Cell::get)).then_some(place)
}

/// Runs `render` with annotations on (`on`) or off, as the render of a page or component.
pub(crate) fn annotating<R>(on: bool, render: impl FnOnce() -> R) -> R {
    struct PutBack(bool);
    impl Drop for PutBack {
        fn drop(&mut self) {
            ANNOTATING.with(|a| a.set(self.0));
        }
    }
    let _put_back = PutBack(ANNOTATING.with(|a| a.replace(on)));
    render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_shows_only_inside_an_annotated_render() {
        assert_eq!(src("a.rs:1"), None);
        let inside = annotating(true, || src("a.rs:1"));
        assert_eq!(inside, cfg!(debug_assertions).then_some("a.rs:1"));
        assert_eq!(annotating(false, || src("a.rs:1")), None);
        assert_eq!(src("a.rs:1"), None, "put back after");
    }
}

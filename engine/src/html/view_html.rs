//! Leptos views rendered to HTML, in room each thread keeps between renders.

use std::cell::Cell;

use leptos::prelude::RenderHtml;
use leptos::tachys::view::Position;

/// The most room a thread keeps for its next render: a page larger than this renders into
/// room of its own, so that one huge page does not stay in every thread's memory.
const KEPT_ROOM: usize = 64 * 1024;

thread_local! {
    /// The room a thread renders pages in, kept between renders.
    static ROOM: Cell<String> = const { Cell::new(String::new()) };
}

/// Renders `view` to HTML. The HTML is written into room the thread kept from its last render,
/// then copied out at its exact size: one allocation of the page's size, instead of the buffer
/// growing (and being copied) a few times as the HTML comes, and no reading of the whole view
/// first to guess its length. A render inside a render gets room of its own.
pub(crate) fn view_html(view: impl RenderHtml) -> String {
    let mut room = ROOM.take();
    room.clear();
    view.to_html_with_buf(
        &mut room,
        &mut Position::FirstChild,
        true,
        false,
        Vec::new(),
    );
    let html = String::from(room.as_str());
    if room.capacity() <= KEPT_ROOM {
        ROOM.set(room);
    }
    html
}

#[cfg(test)]
mod tests {
    use leptos::prelude::*;

    use super::view_html;

    #[test]
    fn a_render_in_kept_room_is_the_render_leptos_makes() {
        let page = |n: usize| {
            view! {
                <ul class="a \"b\"">
                    {(0..n).map(|i| view! { <li>{i}" < "{format!("{i}&")}</li> }).collect_view()}
                </ul>
            }
        };
        // Larger, smaller, then much larger than the room kept: each render is whole, with
        // nothing left of the one before.
        for n in [40, 2, 0, 9_000, 3] {
            let kept = Owner::new().with(|| view_html(page(n)));
            let leptos = Owner::new().with(|| page(n).to_html());
            assert_eq!(kept, leptos);
            assert_eq!(kept.capacity(), kept.len());
        }
        // A render inside a render: the closure runs as the outer view is written out.
        let outer = Owner::new()
            .with(|| view_html(view! { <div>{|| view_html(view! { <p>"inner"</p> })}</div> }));
        assert_eq!(outer, "<div>&lt;p&gt;inner&lt;/p&gt;</div>");
    }
}

//! Lazy components: a placeholder first, the component itself once the browser reveals it
//! (when the placeholder comes into view, or right after the page connects), as Livewire's
//! `#[Lazy]` and Turbo's lazy frames do. The HTTP render and the join stay as fast as the page
//! without them, and a component below the fold costs nothing until someone scrolls to it.

use leptos::prelude::*;

use super::{LiveComponent, Slots, live_component};
use crate::js::JS;

/// The engine's event that reveals a lazy component (`{"id": …}`); the placeholder sends it.
///
/// ```
/// assert_eq!(leptos_live::component::REVEAL, "lv:reveal");
/// ```
pub const REVEAL: &str = "lv:reveal";

/// When the browser reveals a [`lazy_component`].
///
/// ```
/// use leptos_live::component::Reveal;
/// assert_ne!(Reveal::Visible, Reveal::Connected);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    /// When its placeholder comes into view (an `IntersectionObserver`): a part below the fold.
    Visible,
    /// As soon as the page has joined: a slow part that should not hold up the first paint.
    Connected,
}

/// Renders the component `C` with id `id` and `props` lazily: until the browser reveals it
/// (`reveal`), the page shows `loading` in its place and `C` is not even mounted. Revealed, it
/// is mounted and rendered as [`live_component`] renders it, and stays so while the page
/// renders it; left out of a render and brought back, it is lazy again.
///
/// The placeholder is a `<div lv-lazy="ID">` holding `loading` in a `<div>` of its own (style
/// them with `[lv-lazy]`); it sends [`REVEAL`] with its id. Outside a live page (a static
/// render), the placeholder is what renders. In [`crate::testing::LiveTest`],
/// `page.trigger("[lv-lazy]", "lv-viewport-top")` (or `"lv-mounted"` for
/// [`Reveal::Connected`]) reveals it as the browser would.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::component::{Reveal, lazy_component};
/// use leptos_live::{ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
/// use leptos_live::testing::LiveTest;
///
/// /// A report that takes a while to compute: shown when scrolled to.
/// struct Report { total: u64 }
/// impl LiveComponent for Report {
///     type Page = Dashboard;
///     type Props = ();
///     type Event = RawEvent;
///     fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self { Report { total: (1..=1000).sum() } }
///     fn update(&mut self, _: ()) {}
///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Dashboard>) -> Result<(), LiveError> { Ok(()) }
///     fn render(&self) -> impl IntoView { view! { <p id="total">{self.total}</p> } }
/// }
///
/// struct Dashboard;
/// impl LiveView for Dashboard {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Dashboard) }
///     fn render(&self) -> impl IntoView {
///         view! {
///             <h1>"Dashboard"</h1>
///             {lazy_component::<Report>("report", (), Reveal::Visible, view! { <p class="skeleton">"Loading…"</p> })}
///         }
///     }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Dashboard>::mount(Params::default(), Session::default()).await.unwrap();
/// assert!(page.has(".skeleton") && !page.has("#total"));
/// page.trigger("[lv-lazy=report]", "lv-viewport-top").await.unwrap();   // scrolled into view
/// assert_eq!(page.text("#total").as_deref(), Some("500500"));
/// assert!(!page.has(".skeleton"));
/// # });
/// ```
#[track_caller]
pub fn lazy_component<C: LiveComponent>(
    id: impl Into<String>,
    props: C::Props,
    reveal: Reveal,
    loading: impl IntoView + 'static,
) -> AnyView {
    let id = id.into();
    if Slots::<C::Page>::current().is_some_and(|slots| slots.revealed(&id)) {
        return live_component::<C>(id, props);
    }
    match reveal {
        Reveal::Visible => view! {
            <div lv-lazy=id.clone() lv-viewport-top=REVEAL lv-value-id=id>
                <div>{loading}</div>
            </div>
        }
        .into_any(),
        Reveal::Connected => {
            let push = JS::new()
                .push_with(REVEAL, serde_json::json!({ "id": &id }), None)
                .to_string();
            view! {
                <div lv-lazy=id lv-mounted=push>
                    <div>{loading}</div>
                </div>
            }
            .into_any()
        }
    }
}

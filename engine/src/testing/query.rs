//! Reading the page as the user sees it: text, attributes, visibility and focus found by CSS
//! selectors, the URL, the title, where the page sent the browser and what it pushed.

use serde_json::Value;

use crate::ctx::Nav;
use crate::error::LiveError;
use crate::page::task::MountError;
use crate::server::router::LiveRouter;
use crate::view::LiveView;

use super::LiveTest;
use super::act::squash;

impl<V: LiveView> LiveTest<V> {
    /// The text of the first element `selector` matches, its whitespace collapsed; `None`
    /// when nothing matches.
    pub fn text(&self, selector: &str) -> Option<String> {
        self.client
            .select(selector)
            .first()
            .map(|&e| squash(&self.client.dom.text(e)))
    }

    /// The texts of every element `selector` matches, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let dom = &self.client.dom;
        self.client
            .select(selector)
            .into_iter()
            .map(|e| squash(&dom.text(e)))
            .collect()
    }

    /// Whether some element matches `selector`.
    pub fn has(&self, selector: &str) -> bool {
        !self.client.select(selector).is_empty()
    }

    /// Whether some element matching `selector` contains `text`.
    pub fn has_text(&self, selector: &str, text: &str) -> bool {
        self.find(selector, Some(text)).is_ok()
    }

    /// How many elements match `selector`.
    pub fn count(&self, selector: &str) -> usize {
        self.client.select(selector).len()
    }

    /// The attribute `name` of the first element `selector` matches, JS commands' changes
    /// included.
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        let el = *self.client.select(selector).first()?;
        self.client.dom.attr(el, name).map(str::to_string)
    }

    /// Whether the first element `selector` matches is displayed: neither it nor an ancestor
    /// has an inline `display: none` (as `hide` sets), or, without an inline display, the
    /// `hidden` attribute or class. False when nothing matches.
    pub fn visible(&self, selector: &str) -> bool {
        self.client
            .select(selector)
            .first()
            .is_some_and(|&e| self.client.dom.visible(e))
    }

    /// Whether the element that has focus (moved by the `focus`, `focus_first` and
    /// `pop_focus` commands) matches `selector`.
    pub fn focused(&self, selector: &str) -> bool {
        self.client
            .focused()
            .is_some_and(|f| self.client.select(selector).contains(&f))
    }

    /// The page's HTML as the browser has it from the server (stream items included; what JS
    /// commands changed is not).
    pub fn html(&self) -> String {
        self.client.html()
    }

    /// What the server keeps of the page: its last render as sent (stream items leave it once
    /// sent).
    pub fn server_html(&self) -> String {
        self.core.sent.html().to_string()
    }

    /// The URL the browser shows: where the page was mounted, or its last patch.
    pub fn url(&self) -> &str {
        &self.client.url
    }

    /// The document title the page last set ([`crate::Ctx::page_title`]).
    pub fn title(&self) -> Option<&str> {
        self.client.title.as_deref()
    }

    /// Where the page sent the browser away to ([`crate::Ctx::push_navigate`], [`crate::Ctx::redirect`], an
    /// `lv-navigate` link, or a plain link as [`Nav::Redirect`]), not yet followed.
    pub fn navigated(&self) -> Option<&Nav> {
        self.client.nav.as_ref().map(|(n, _)| n)
    }

    /// Follows the navigation the page asked for to the page `W` that `router` serves there,
    /// with the flash it carries, as the browser would; the new page's test comes back.
    pub async fn follow<W: LiveView>(
        &mut self,
        router: &LiveRouter,
    ) -> Result<LiveTest<W>, MountError> {
        let Some((nav, sealed)) = self.client.nav.take() else {
            return Err(LiveError::msg("the page did not navigate").into());
        };
        if let Nav::Redirect { external: true, to } = &nav {
            return Err(LiveError::msg(format!("{to:?} is on another site")).into());
        }
        let secret = router.services().secret;
        let flash = sealed
            .and_then(|s| crate::flash::unseal(&s, &secret, crate::wire::ids::now_secs()))
            .unwrap_or_default();
        LiveTest::<W>::get_with(router, nav.to(), self.session.clone(), flash).await
    }

    /// The events the page pushed ([`crate::Ctx::push_event`]) since the last call, in order.
    pub fn take_events(&mut self) -> Vec<(String, Value)> {
        std::mem::take(&mut self.client.events)
    }

    /// The last reply the page gave an event ([`crate::Ctx::reply`]), taken.
    pub fn take_reply(&mut self) -> Option<Value> {
        self.client.reply.take()
    }

    /// How many times the page's components have rendered: a component renders only when its
    /// props changed or it handled an event.
    pub fn component_renders(&self) -> u64 {
        self.core.ctx.component_renders()
    }
}

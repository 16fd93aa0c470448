//! The engine's own accessors to a page's `Ctx`: what the page core, the render and the test
//! client take from it and give it between callbacks. Not part of the API.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::Ctx;
use crate::component::Slots;
use crate::flash::Flash;
use crate::pubsub::feed::Gate;

use crate::stream::StreamOps;
use crate::upload::Uploads;
use crate::view::LiveView;
use crate::wire::pushed::{Nav, Pushed};
use crate::work::{Queue, Work};

impl<V: LiveView> Ctx<V> {
    /// How many times the page's components have rendered, for `LiveTest`.
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn component_renders(&self) -> u64 {
        self.components.renders()
    }

    pub(crate) fn set_component(&mut self, id: Option<Arc<str>>) {
        self.current_component = id;
    }

    pub(crate) fn components(&self) -> &Slots<V> {
        &self.components
    }

    /// The page's uploads, when it has any.
    pub(crate) fn uploads(&self) -> Option<&Uploads> {
        self.uploads.as_deref()
    }

    /// The page's uploads, made if need be.
    pub(crate) fn uploads_mut(&mut self) -> &mut Uploads {
        let dir = &self.services.upload_dir;
        self.uploads
            .get_or_insert_with(|| Box::new(Uploads::new(dir.clone())))
    }

    /// The upload writers' reports, for the page's task to take once; `None` until the page
    /// has uploads.
    pub(crate) fn take_upload_reports(
        &mut self,
    ) -> Option<mpsc::UnboundedReceiver<crate::upload::Report>> {
        self.uploads.as_mut().and_then(|u| u.take_reports())
    }

    /// The upload entries the browser must stop sending, and why.
    pub(crate) fn take_upload_notices(&mut self) -> Vec<(u32, &'static str)> {
        self.uploads
            .as_mut()
            .map(|u| u.take_notices())
            .unwrap_or_default()
    }

    /// What the view shows of the page's uploads.
    pub(crate) fn shown_uploads(&self) -> Option<crate::upload::Shown> {
        self.uploads.as_ref().and_then(|u| u.shown())
    }

    pub(crate) fn work_mut(&mut self) -> &mut Work<V> {
        &mut self.work
    }

    /// Where the page's finished work arrives; taken once, by the page's task.
    pub(crate) fn take_work_rx(&mut self) -> Option<Arc<Queue<V>>> {
        self.work_rx.take()
    }

    pub(crate) fn set_assigns(&mut self, assigns: axum::http::Extensions) {
        self.assigns = assigns;
    }

    /// Shows a flash that came with the navigation to this page.
    pub(crate) fn receive_flash(&mut self, flash: Flash) {
        self.flash.merge(flash);
    }

    /// The flash this page put, sealed for the next page; `None` when there is none.
    /// The flash this page put, sealed for the next page (and no longer carried after);
    /// `None` when there is none.
    pub(crate) fn sealed_flash(&mut self) -> Option<String> {
        let out = std::mem::take(&mut self.flash_out);
        (!out.is_empty())
            .then(|| crate::flash::seal(&out, &self.services.secret, crate::wire::ids::now_secs()))
    }

    /// Where the page's task and its feeds meet.
    pub(crate) fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }

    /// Inserts the items the page's feeds left for it into its streams.
    pub(crate) fn take_fed(&mut self) {
        for f in &self.feeds {
            f.take_waiting();
        }
    }

    /// Waits until the page's feeds have offered it every item broadcast so far.
    #[cfg(any(test, feature = "testing"))]
    pub(crate) async fn feeds_settled(&self) {
        for f in &self.feeds {
            f.settled().await;
        }
    }

    pub(crate) fn pushed_mut(&mut self) -> &mut Pushed {
        &mut self.pushed
    }

    /// Queues rendered stream changes for the next frame.
    pub(crate) fn push_streams(&mut self, streams: Vec<StreamOps>) {
        self.pushed.streams.extend(streams);
    }

    /// Whether the callback just run said [`Ctx::streams_only`]; cleared.
    pub(crate) fn take_streams_only(&mut self) -> bool {
        std::mem::take(&mut self.streams_only)
    }

    /// Renders every stream's waiting items with its template; false when one cannot.
    pub(crate) fn render_streams(&self) -> bool {
        self.streams.iter().all(|s| s.render_pending())
    }

    /// After the first render: the streams' items now travel in frames (see [`Stream::each`]),
    /// and what the first render showed is dropped.
    /// Takes the streams components made in the render just done: their first items were in
    /// it, so from now on they travel in frames. Streams whose component is gone are let go.
    pub(crate) fn adopt_component_streams(&mut self) {
        let new = self.components.take_streams();
        for s in &new {
            s.drain();
            s.capture();
        }
        self.streams.extend(new);
        self.streams.retain(|s| Arc::strong_count(s) > 1);
    }

    pub(crate) fn first_render_done(&mut self) {
        self.rendered = true;
        for s in &self.streams {
            s.drain();
            s.capture();
        }
    }

    /// Moves the streams' changes (their items already rendered) into the next frame.
    pub(crate) fn stage_streams(&mut self) {
        let streams = self.take_streams();
        self.push_streams(streams);
    }

    /// Takes the streams' changes since the last render.
    pub(crate) fn take_streams(&mut self) -> Vec<StreamOps> {
        self.streams.iter().filter_map(|s| s.drain()).collect()
    }

    /// Takes where the last callback sent the browser.
    /// What the page's render reads besides the page's state: its flash and its uploads. A
    /// callback that leaves it and the page's state as they were leaves the page's render as it
    /// was but for its components.
    pub(crate) fn render_inputs(&self) -> (Flash, Option<Vec<crate::upload::Upload>>) {
        (
            self.flash().clone(),
            self.uploads().map(|u| u.shown_list().to_vec()),
        )
    }

    /// Whether a callback sent the browser elsewhere (a patch runs `handle_params` first).
    pub(crate) fn has_nav(&self) -> bool {
        self.pushed.nav.is_some()
    }

    pub(crate) fn take_nav(&mut self) -> Option<Nav> {
        self.pushed.nav.take()
    }

    /// Takes what was pushed since the last frame.
    pub(crate) fn take_pushed(&mut self) -> Pushed {
        std::mem::take(&mut self.pushed)
    }

    pub(crate) fn set_connected(&mut self, connected: bool) {
        if self.connected != connected {
            self.tracked.retain(|t| t.set_active(connected));
        }
        self.connected = connected;
    }
}

//! What a page's callbacks do with uploads.

use crate::ctx::Ctx;
use crate::view::LiveView;

use crate::upload::{Upload, UploadConfig, UploadedFile};

impl<V: LiveView> Ctx<V> {
    /// Allows upload `name` with `config` (or changes its config, keeping its entries). The view
    /// renders its input with [`crate::upload::LiveFileInput`] and its entries from
    /// [`crate::upload`].
    ///
    /// ```no_run
    /// # use leptos_live::{Ctx, LiveView};
    /// # use leptos_live::upload::UploadConfig;
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.allow_upload("photos", UploadConfig::new().accept(["image/*"]).max_entries(3).auto_upload(true));
    /// # }
    /// ```
    pub fn allow_upload(&mut self, name: &str, config: UploadConfig) {
        self.uploads_mut().allow(name, config);
    }

    /// Withdraws upload `name`: its entries are cancelled and their files removed.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::testing::{LiveTest, TestFile};
    /// use leptos_live::upload::{upload, LiveFileInput, UploadConfig};
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Docs;
    /// impl LiveView for Docs {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.allow_upload("docs", UploadConfig::new().max_entries(2));
    ///         Ok(Docs)
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         if e.name == "lock" {
    ///             ctx.disallow_upload("docs");                    // entries cancelled, files removed
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         let docs = upload("docs");
    ///         let names = docs.entries.iter().map(|e| view! { <li>{e.name.clone()}</li> }).collect_view();
    ///         view! { <LiveFileInput upload=docs id="docs" /> <ul>{names}</ul> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Docs>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.upload("#docs", &[TestFile::new("a.txt", "text/plain", b"a".to_vec()), TestFile::new("b.txt", "text/plain", b"b".to_vec())]).await.unwrap();
    /// assert_eq!(page.texts("li"), ["a.txt", "b.txt"]);
    /// page.event("lock", serde_json::json!({})).await.unwrap();
    /// assert!(page.texts("li").is_empty());
    /// # });
    /// ```
    pub fn disallow_upload(&mut self, name: &str) {
        self.uploads_mut().disallow(name);
    }

    /// Upload `name` as it stands: entries, progress, errors.
    ///
    /// ```no_run
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &Ctx<V>) {
    /// let ready = ctx.upload("photos").is_some_and(|u| u.is_complete());
    /// # }
    /// ```
    pub fn upload(&self, name: &str) -> Option<&Upload> {
        self.uploads().and_then(|u| u.get(name))
    }

    /// Cancels entry `id` of upload `name`: the browser stops sending it and its file is
    /// removed. False when there is no such entry.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::testing::{LiveTest, TestFile};
    /// use leptos_live::upload::{upload, LiveFileInput, UploadConfig};
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Docs;
    /// impl LiveView for Docs {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.allow_upload("docs", UploadConfig::new().max_entries(2));
    ///         Ok(Docs)
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         if e.name == "drop_first" {
    ///             let first = ctx.upload("docs").and_then(|u| u.entries.first()).map(|entry| entry.id);
    ///             if let Some(id) = first {
    ///                 ctx.cancel_upload("docs", id);
    ///             }
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         let docs = upload("docs");
    ///         let names = docs.entries.iter().map(|e| view! { <li>{e.name.clone()}</li> }).collect_view();
    ///         view! { <LiveFileInput upload=docs id="docs" /> <ul>{names}</ul> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Docs>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.upload("#docs", &[TestFile::new("a.txt", "text/plain", b"a".to_vec()), TestFile::new("b.txt", "text/plain", b"b".to_vec())]).await.unwrap();
    /// assert_eq!(page.texts("li"), ["a.txt", "b.txt"]);
    /// page.event("drop_first", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.texts("li"), ["b.txt"]);
    /// # });
    /// ```
    pub fn cancel_upload(&mut self, name: &str, id: u32) -> bool {
        self.uploads_mut().cancel(Some(name), id)
    }

    /// Hands each completed entry of upload `name` to `f`, which moves or copies its file where
    /// it belongs; then the entry leaves the upload and what is left of its temporary file is
    /// removed. Entries still uploading, or refused, stay.
    ///
    /// ```no_run
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// let dir = std::path::Path::new("uploads");
    /// let stored: Vec<std::io::Result<u64>> = ctx.consume_uploaded_entries("photos", |file| {
    ///     std::fs::copy(file.path, dir.join(format!("{}.bin", file.entry.id)))
    /// });
    /// # }
    /// ```
    pub fn consume_uploaded_entries<T>(
        &mut self,
        name: &str,
        f: impl FnMut(&UploadedFile<'_>) -> T,
    ) -> Vec<T> {
        self.uploads_mut().consume(name, f)
    }
}

//! `LiveRouter`: live pages, their socket and the shim, as routes of any axum `Router`.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::extract::rejection::{QueryRejection, RawPathParamsRejection};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, RawPathParams};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use crate::asset;
use crate::config::LiveConfig;
use crate::ctx::Services;
use crate::html::escape;
use crate::page::{Control, MountError, MountedPage, StartArgs, StartFn, mount};
use crate::params::{Params, Session};
use crate::pubsub::PubSub;
use crate::registry::Registry;
use crate::socket::connection;
use crate::token::{Claims, now_secs, sign};
use crate::view::LiveView;

/// A page type behind a route pattern, with its type erased.
pub(crate) trait Route: Send + Sync + 'static {
    fn mount(
        &self,
        params: Params,
        session: Session,
        services: Services,
    ) -> BoxFuture<'static, Result<MountedPage, MountError>>;
}

struct RouteOf<V>(PhantomData<fn() -> V>);

impl<V: LiveView> Route for RouteOf<V> {
    fn mount(
        &self,
        params: Params,
        session: Session,
        services: Services,
    ) -> BoxFuture<'static, Result<MountedPage, MountError>> {
        mount::<V>(params, session, services)
    }
}

type SessionFn = Arc<dyn Fn(&HeaderMap) -> Session + Send + Sync>;

/// State shared by the HTTP handlers and every socket.
pub(crate) struct Inner {
    pub config: Arc<LiveConfig>,
    pub secret: Arc<[u8]>,
    pub registry: Arc<Registry>,
    pub routes: HashMap<String, Arc<dyn Route>>,
    pub next_conn: AtomicU64,
    pub services: Services,
    head: String,
    session: SessionFn,
}

impl Inner {
    /// Starts a mounted page's task under `id` and registers it. When a running page already
    /// holds the id (two sockets mounted it at once), that page is returned instead and the new
    /// one ends at once, its queue's only sender being dropped.
    pub(crate) fn start(
        &self,
        start: StartFn,
        id: Arc<str>,
        adopted: bool,
    ) -> Result<mpsc::Sender<Control>, mpsc::Sender<Control>> {
        let generation = self.registry.next_generation();
        let ctl = start(StartArgs {
            id: id.clone(),
            generation,
            registry: self.registry.clone(),
            config: self.config.clone(),
            adopted,
        });
        match self.registry.insert(id, generation, ctl.clone()) {
            Some(running) => Err(running),
            None => Ok(ctl),
        }
    }
}

/// Live pages for an axum app.
///
/// ```
/// use axum::{routing::get, Router};
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, Session};
///
/// struct Hello;
/// impl LiveView for Hello {
///     type Message = ();
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Hello) }
///     fn render(&self) -> impl IntoView { view! { <p>"hello"</p> } }
/// }
///
/// // An existing app keeps its own routes and state; the live pages are merged in.
/// let app: Router = Router::new()
///     .route("/health", get(|| async { "ok" }))
///     .merge(LiveRouter::new().page::<Hello>("/").into_router());
/// ```
pub struct LiveRouter {
    config: LiveConfig,
    routes: Vec<(String, Arc<dyn Route>)>,
    head: String,
    session: SessionFn,
    pubsub: PubSub,
    extensions: axum::http::Extensions,
}

impl Default for LiveRouter {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveRouter {
    /// A router with [`LiveConfig::from_env`].
    pub fn new() -> Self {
        Self::with_config(LiveConfig::from_env())
    }

    /// A router with the given settings.
    pub fn with_config(config: LiveConfig) -> Self {
        LiveRouter {
            config,
            routes: Vec::new(),
            head: String::new(),
            session: Arc::new(|_| Session::default()),
            pubsub: PubSub::local(),
            extensions: axum::http::Extensions::new(),
        }
    }

    /// The PubSub pages reach through [`crate::Ctx::subscribe`] and [`crate::Ctx::pubsub`].
    /// Without one, the router has a [`PubSub::local`] of its own.
    pub fn pubsub(mut self, pubsub: PubSub) -> Self {
        self.pubsub = pubsub;
        self
    }

    /// Gives every page a value of type `T` through [`crate::Ctx::extension`] (one value per
    /// type; a second replaces the first).
    ///
    /// ```
    /// #[derive(Clone)]
    /// struct Db(&'static str);
    /// let router = leptos_live::LiveRouter::new().extension(Db("sqlite://chat.db"));
    /// ```
    pub fn extension<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.extensions.insert(value);
        self
    }

    /// What pages get from this router, for [`crate::LiveTest::mount_in`].
    pub(crate) fn services(&self) -> Services {
        Services {
            pubsub: self.pubsub.clone(),
            extensions: Arc::new(self.extensions.clone()),
        }
    }

    /// Serves the page `V` at `path` (axum syntax: `/rooms/{name}`).
    pub fn page<V: LiveView>(mut self, path: &str) -> Self {
        self.routes
            .push((path.to_string(), Arc::new(RouteOf::<V>(PhantomData))));
        self
    }

    /// HTML added to every page's `<head>`, such as a stylesheet link.
    pub fn head(mut self, html: impl Into<String>) -> Self {
        self.head.push_str(&html.into());
        self
    }

    /// How to build a page's [`Session`] from the HTTP request's headers (cookies, auth).
    pub fn session(mut self, f: impl Fn(&HeaderMap) -> Session + Send + Sync + 'static) -> Self {
        self.session = Arc::new(f);
        self
    }

    /// The routes, for merging into an app's router with any state type.
    pub fn into_router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        let services = self.services();
        let secret = match &self.config.secret {
            Some(s) => s.clone(),
            None => {
                tracing::warn!(
                    "no LEPTOS_LIVE_SECRET set: using a random token secret; tokens will not survive a restart"
                );
                random_bytes(32).into()
            }
        };
        let mount_path = self.config.mount_path.trim_end_matches('/').to_string();
        let inner = Arc::new(Inner {
            config: Arc::new(self.config),
            secret,
            registry: Arc::new(Registry::default()),
            routes: self
                .routes
                .iter()
                .map(|(p, r)| (p.clone(), r.clone()))
                .collect(),
            next_conn: AtomicU64::new(1),
            services,
            head: self.head,
            session: self.session,
        });
        let mut router = Router::new();
        for (pattern, route) in self.routes {
            let inner = inner.clone();
            let pat = pattern.clone();
            router = router.route(
                &pattern,
                get(
                    move |path: Result<RawPathParams, RawPathParamsRejection>,
                          query: Result<Query<Vec<(String, String)>>, QueryRejection>,
                          headers: HeaderMap| async move {
                        let mut params = Params::default();
                        if let Ok(Query(q)) = query {
                            q.into_iter().for_each(|(k, v)| params.insert(k, v));
                        }
                        if let Ok(path) = path {
                            path.iter().for_each(|(k, v)| params.insert(k, v));
                        }
                        http_render(&inner, &pat, route.as_ref(), params, &headers).await
                    },
                ),
            );
        }
        let ws_inner = inner.clone();
        let max_message = (inner.config.max_frame_bytes * 4).max(1 << 20);
        router
            .route(
                &format!("{mount_path}/socket"),
                get(move |ws: WebSocketUpgrade| async move {
                    ws.max_message_size(max_message)
                        .read_buffer_size(2 * 1024)
                        .write_buffer_size(0)
                        .on_upgrade(move |socket| connection(ws_inner, socket))
                }),
            )
            .route(
                &format!("{mount_path}/{}", asset::client().file_name),
                get(|headers: HeaderMap| async move { asset::serve_client(&headers) }),
            )
    }
}

async fn http_render(
    inner: &Arc<Inner>,
    pattern: &str,
    route: &dyn Route,
    params: Params,
    headers: &HeaderMap,
) -> Response {
    let session = (inner.session)(headers);
    let limit = inner.config.mount_timeout;
    let mounted = match tokio::time::timeout(
        limit,
        route.mount(params.clone(), session.clone(), inner.services.clone()),
    )
    .await
    .unwrap_or(Err(MountError::TimedOut(limit)))
    {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(page = pattern, "{e}");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be mounted",
            )
                .into_response();
        }
    };
    let id: Arc<str> = hex_id().into();
    if inner
        .registry
        .reserve_pending(inner.config.max_pending_pages)
    {
        // A fresh random id: no page can hold it already.
        let _ = inner.start(mounted.start, id.clone(), false);
    } else {
        tracing::warn!(
            page = pattern,
            "too many pages wait for adoption; this one will mount again on join"
        );
    }
    let token = sign(
        &Claims {
            page: pattern.to_string(),
            id: id.to_string(),
            params,
            session,
            issued: now_secs(),
        },
        &inner.secret,
    );
    Html(document(inner, &mounted.title, &token, &mounted.html)).into_response()
}

fn document(inner: &Inner, title: &str, token: &str, body: &str) -> String {
    let mount_path = inner.config.mount_path.trim_end_matches('/');
    let mut out = String::with_capacity(body.len() + 1024);
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    escape(title, false, &mut out);
    out.push_str("</title>");
    out.push_str(&inner.head);
    out.push_str(&format!(
        "<script type=\"module\" src=\"{mount_path}/{}\"></script></head><body><div id=\"lv-root\" lv-socket=\"{mount_path}/socket\" lv-token=\"",
        asset::client().file_name
    ));
    escape(token, true, &mut out);
    out.push_str("\">");
    out.push_str(body);
    out.push_str("</div></body></html>");
    out
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    if let Err(e) = getrandom::fill(&mut buf) {
        // No OS randomness is a broken machine; fall back to time-seeded bytes and say so.
        tracing::error!("no OS randomness ({e}); page ids and secrets are weak");
        let seed = now_secs() ^ (std::process::id() as u64) << 32;
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (seed.rotate_left(i as u32 * 7) & 0xff) as u8;
        }
    }
    buf
}

fn hex_id() -> String {
    random_bytes(16)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

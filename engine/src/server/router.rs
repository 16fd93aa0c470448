//! `LiveRouter`: live pages, their socket and the shim, as routes of any axum `Router`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{QueryRejection, RawPathParamsRejection};
use axum::extract::{ConnectInfo, Query, RawPathParams};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::config::LiveConfig;
use crate::ctx::Services;
use crate::page::registry::Registry;
use crate::page::session::{Group, LiveSession};
use crate::page::session::{Route, RouteOf};
use crate::params::{Params, Session};
use crate::pubsub::PubSub;
use crate::server::asset;
use crate::server::favicon::{FAVICON_PATH, Favicon};
use crate::server::http::http_render;
use crate::server::poll;
#[cfg(feature = "redis")]
use crate::server::snapshot::RedisStore;
use crate::server::snapshot::{DirStore, Store};
use crate::server::socket;
use crate::server::state::{EngineState, RouteEntry, SessionFn};
use crate::view::LiveView;
use crate::wire::ids::random_bytes;

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
///     type Event = leptos_live::RawEvent;
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
    routes: Vec<(String, Arc<dyn Route>, Arc<Group>)>,
    /// The live session of pages given with [`LiveRouter::page`]: no layout, no checks.
    default_group: Arc<Group>,
    head: String,
    /// Whether live navigations run in view transitions ([`LiveRouter::view_transitions`]).
    view_transitions: bool,
    favicon: Favicon,
    session: SessionFn,
    pubsub: PubSub,
    extensions: axum::http::Extensions,
    /// Colocated hooks ([`LiveRouter::hook`]), served as modules the shim loads on demand.
    hooks: Vec<(String, Arc<asset::Asset>)>,
}

impl Default for LiveRouter {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveRouter {
    /// A router with [`LiveConfig::from_env`].
    ///
    /// ```
    /// // The secret (LEPTOS_LIVE_SECRET), upload and snapshot places from the environment.
    /// let app: axum::Router = leptos_live::LiveRouter::new().into_router();
    /// ```
    pub fn new() -> Self {
        Self::with_config(LiveConfig::from_env())
    }

    /// A router with the given settings.
    ///
    /// ```
    /// use std::time::Duration;
    /// use leptos_live::{LiveConfig, LiveRouter};
    /// let config = LiveConfig::from_env().with_retention_window(Duration::from_secs(60));
    /// let router = LiveRouter::with_config(config);
    /// ```
    pub fn with_config(config: LiveConfig) -> Self {
        LiveRouter {
            config,
            routes: Vec::new(),
            default_group: Arc::new(LiveSession::new("default").group),
            head: String::new(),
            view_transitions: false,
            favicon: Favicon::Empty,
            session: Arc::new(|_| Session::default()),
            pubsub: PubSub::local(),
            extensions: axum::http::Extensions::new(),
            hooks: Vec::new(),
        }
    }

    /// The PubSub pages reach through [`crate::Ctx::subscribe`] and [`crate::Ctx::pubsub`].
    /// Without one, the router has a [`PubSub::local`] of its own.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use leptos_live::{LiveRouter, PubSub};
    /// let pubsub = PubSub::from_env();                     // keep a clone for tasks of the app's own
    /// let router = LiveRouter::new().pubsub(pubsub.clone());
    /// # });
    /// ```
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
            secret: self
                .config
                .secret
                .clone()
                .unwrap_or_else(|| Arc::from(&[][..])),
            upload_dir: self.config.upload_dir.as_deref().map(Arc::from),
            annotate: self.config.debug_annotations,
        }
    }

    /// The route pattern and live session that serve the page `V`, for [`crate::LiveTest`].
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn route_of<V: LiveView>(&self) -> Option<(Arc<str>, Arc<Group>)> {
        let id = std::any::TypeId::of::<V>();
        self.routes
            .iter()
            .find(|(_, r, _)| r.page_type() == id)
            .map(|(p, _, g)| (Arc::from(p.as_str()), g.clone()))
    }

    /// Serves the page `V` at `path` (axum syntax: `/rooms/{name}`), in a live session of its
    /// own with no layout and no checks: links between such pages navigate live too.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # struct Hello;
    /// # impl LiveView for Hello {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Hello) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"hello"</p> } }
    /// # }
    /// let router = LiveRouter::new()
    ///     .page::<Hello>("/")
    ///     .page::<Hello>("/greet/{name}");                  // `name` reaches mount's params
    /// ```
    pub fn page<V: LiveView>(mut self, path: &str) -> Self {
        self.routes.push((
            path.to_string(),
            Arc::new(RouteOf::<V>::new()),
            self.default_group.clone(),
        ));
        self
    }

    /// Serves the pages of a live session: they share its layout and `on_mount` checks, and
    /// moving between them is a live navigation over the tab's socket.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # struct Hello;
    /// # impl LiveView for Hello {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Hello) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"hello"</p> } }
    /// # }
    /// use leptos_live::LiveSession;
    /// let app = LiveSession::new("app").page::<Hello>("/").page::<Hello>("/again");
    /// let router: axum::Router = LiveRouter::new().live_session(app).into_router();
    /// ```
    pub fn live_session(mut self, session: LiveSession) -> Self {
        let group = Arc::new(session.group);
        for (path, route) in session.routes {
            self.routes.push((path, route, group.clone()));
        }
        self
    }

    /// A colocated hook: the JavaScript of the hook `name` (what `lv-hook="name"` names), kept
    /// beside the Rust that renders it and served by the engine. `source` is an ES module whose
    /// default export is the hook, with the callbacks of a `window.lvHooks` one:
    ///
    /// ```js
    /// // chart.js
    /// export default {
    ///   mounted() { this.el.dataset.drawn = "1"; },
    ///   updated() {},
    ///   destroyed() {},
    /// };
    /// ```
    ///
    /// The module is served under a name that changes with its content
    /// (`/live/hook-<name>-<hash>.js`, gzipped, cached for a year), and the app's hooks are
    /// collected into one module that re-exports each under its name
    /// (`/live/leptos-live-hooks-<hash>.js`). The shim imports that module the first time an
    /// element with a colocated hook's `lv-hook` shows: pages that never show one never load it,
    /// and no inline script is involved, so `script-src 'self'` keeps working. A hook of the
    /// same name in `window.lvHooks` wins.
    ///
    /// # Panics
    ///
    /// When `name` is empty or holds anything but ASCII letters, digits, `_` and `-`, or was
    /// given already: a mistake in the app's code, found when it starts.
    ///
    /// ```
    /// const CHART_JS: &str = "export default { mounted() { this.el.dataset.drawn = '1'; } };"; // include_str!("chart.js")
    /// let router = leptos_live::LiveRouter::new().hook("Chart", CHART_JS);
    /// ```
    pub fn hook(mut self, name: &str, source: &str) -> Self {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "LiveRouter::hook: {name:?} is not a hook name (ASCII letters, digits, _ and -)"
        );
        assert!(
            self.hooks.iter().all(|(n, _)| n != name),
            "LiveRouter::hook: the hook {name:?} was given twice"
        );
        self.hooks
            .push((name.to_string(), Arc::new(asset::hook(name, source))));
        self
    }

    /// HTML added to every page's `<head>`, such as a stylesheet link.
    ///
    /// ```
    /// let router = leptos_live::LiveRouter::new()
    ///     .head(r#"<link rel="stylesheet" href="/app.css">"#)
    ///     .head(r#"<script type="module" src="/hooks.js"></script>"#);   // added in order
    /// ```
    pub fn head(mut self, html: impl Into<String>) -> Self {
        self.head.push_str(&html.into());
        self
    }

    /// Runs live navigations and patches in [view transitions]: the browser animates from the
    /// old page to the new one (a cross-fade of the whole document, unless the app's CSS names
    /// parts with `view-transition-name`). Every page's `<head>` gets
    /// `<meta name="lv-view-transitions">`, which points the shim to a small module of its own
    /// (`leptos-live-transitions-<hash>.js`), loaded only by such apps. A browser without view
    /// transitions, or a user who prefers reduced motion, gets the update applied directly.
    ///
    /// [view transitions]: https://developer.mozilla.org/docs/Web/API/View_Transition_API
    ///
    /// ```
    /// let router = leptos_live::LiveRouter::new().view_transitions();
    /// ```
    pub fn view_transitions(mut self) -> Self {
        self.view_transitions = true;
        self
    }

    /// Serves `icon` at `/favicon.ico`, with `content_type` (`image/x-icon`, `image/png`,
    /// `image/svg+xml`, …), cached for a day. Without it the router answers the icon request
    /// every browser makes with an empty `204 No Content`, so that a new app logs no 404 for it.
    ///
    /// ```
    /// const ICON: &[u8] = b"<svg xmlns='http://www.w3.org/2000/svg'/>"; // include_bytes!("favicon.svg")
    /// let router = leptos_live::LiveRouter::new().favicon(ICON, "image/svg+xml");
    /// ```
    pub fn favicon(mut self, icon: impl Into<Bytes>, content_type: &str) -> Self {
        let content_type = HeaderValue::from_str(content_type).unwrap_or_else(|_| {
            tracing::warn!(
                content_type,
                "not a valid content type for the favicon; serving it as bytes"
            );
            HeaderValue::from_static("application/octet-stream")
        });
        self.favicon = Favicon::Icon(icon.into(), content_type);
        self
    }

    /// Leaves `/favicon.ico` to the app: the router adds no route for it. Call it when the app
    /// routes `/favicon.ico` itself (axum refuses two routes for one path when routers merge).
    ///
    /// ```
    /// use axum::routing::get;
    /// let app: axum::Router = axum::Router::new()
    ///     .route("/favicon.ico", get(|| async { "my icon" }))
    ///     .merge(leptos_live::LiveRouter::new().without_favicon().into_router());
    /// ```
    pub fn without_favicon(mut self) -> Self {
        self.favicon = Favicon::Off;
        self
    }

    /// How to build a page's [`Session`] from the HTTP request's headers (cookies, auth).
    ///
    /// ```
    /// use leptos_live::{LiveRouter, Session};
    /// let router = LiveRouter::new().session(|headers| {
    ///     let mut session = Session::default();
    ///     // Verify the cookie's signature in a real app; this one trusts it.
    ///     if let Some(user) = leptos_live::params::cookie(headers, "user") {
    ///         session.insert("user", user);
    ///     }
    ///     session
    /// });
    /// ```
    pub fn session(mut self, f: impl Fn(&HeaderMap) -> Session + Send + Sync + 'static) -> Self {
        self.session = Arc::new(f);
        self
    }

    /// The routes, for merging into an app's router with any state type.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # struct Hello;
    /// # impl LiveView for Hello {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Hello) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"hello"</p> } }
    /// # }
    /// #[derive(Clone)]
    /// struct AppState;
    /// // Merges into a router with any state type.
    /// let app: axum::Router<AppState> = axum::Router::new()
    ///     .merge(LiveRouter::new().page::<Hello>("/").into_router());
    /// let app: axum::Router = app.with_state(AppState);
    /// ```
    pub fn into_router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        self.into_parts().0
    }

    /// The routes, and the engine behind them: call [`LiveEngine::shutdown`] when the process
    /// stops, so that pages which keep their state ([`LiveView::snapshot`]) come back in the next
    /// process.
    ///
    /// ```no_run
    /// # async fn run(live: leptos_live::LiveRouter) -> std::io::Result<()> {
    /// let (app, engine) = live.into_parts::<()>();
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    /// leptos_live::serve(listener, app)
    ///     .with_graceful_shutdown(async move {
    ///         let _ = tokio::signal::ctrl_c().await;
    ///         engine.shutdown().await;
    ///     })
    ///     .await
    /// # }
    /// ```
    pub fn into_parts<S: Clone + Send + Sync + 'static>(mut self) -> (Router<S>, LiveEngine) {
        let mut services = self.services();
        let secret: Arc<[u8]> = match &self.config.secret {
            Some(s) => s.clone(),
            None => match self
                .config
                .snapshot_dir
                .as_deref()
                .filter(|_| self.config.snapshot_redis.is_none())
                .and_then(DirStore::dev_secret)
            {
                // The edit loop: tokens (and so snapshots) outlive a restart on this machine.
                Some(s) => {
                    tracing::warn!(
                        "no LEPTOS_LIVE_SECRET set: using a development secret kept beside the snapshots; set one in production"
                    );
                    s.into()
                }
                None => {
                    tracing::warn!(
                        "no LEPTOS_LIVE_SECRET set: using a random token secret; tokens will not survive a restart"
                    );
                    random_bytes(32).into()
                }
            },
        };
        services.secret = secret.clone();
        let mount_path = self.config.mount_path.trim_end_matches('/').to_string();
        if self.view_transitions {
            self.head.push_str(&format!(
                r#"<meta name="lv-view-transitions" content="{mount_path}/{}">"#,
                asset::transitions().file_name
            ));
        }
        let routes: Vec<RouteEntry> = self
            .routes
            .into_iter()
            .map(|(pattern, route, group)| RouteEntry {
                pattern: pattern.into(),
                route,
                group,
            })
            .collect();
        let by_pattern: HashMap<Arc<str>, usize> = routes
            .iter()
            .enumerate()
            .map(|(i, e)| (e.pattern.clone(), i))
            .collect();
        let patterns: Vec<Arc<str>> = routes.iter().map(|e| e.pattern.clone()).collect();
        let snapshots = match &self.config.snapshot_redis {
            #[cfg(feature = "redis")]
            Some(url) => match RedisStore::new(url) {
                Ok(store) => Some(Arc::new(Store::Redis(Box::new(store)))),
                Err(e) => {
                    tracing::error!("{e}; page snapshots are off");
                    None
                }
            },
            #[cfg(not(feature = "redis"))]
            Some(_) => {
                tracing::error!(
                    "snapshots in Redis need leptos_live's `redis` feature; page snapshots are off"
                );
                None
            }
            None => self.config.snapshot_dir.clone().map(|dir| {
                let store = Store::Dir(DirStore::new(dir));
                store.purge();
                Arc::new(store)
            }),
        };
        let keep = EngineState::keeper(&self.config, snapshots.as_ref());
        // The colocated hooks, collected into one module; each name maps to it.
        let hooks_index = (!self.hooks.is_empty()).then(|| {
            Arc::new(asset::hooks_index(
                self.hooks.iter().map(|(n, a)| (n.as_str(), &**a)),
            ))
        });
        let hook_urls: serde_json::Map<String, serde_json::Value> = hooks_index
            .iter()
            .flat_map(|index| {
                let url = format!("{mount_path}/{}", index.file_name);
                self.hooks
                    .iter()
                    .map(move |(name, _)| (name.clone(), url.clone().into()))
            })
            .collect();
        let inner = Arc::new(EngineState {
            config: Arc::new(self.config),
            secret,
            registry: Arc::new(Registry::default()),
            routes,
            by_pattern,
            next_conn: AtomicU64::new(1),
            services,
            head: self.head,
            session: self.session,
            snapshots,
            keep,
            polls: poll::Polls::default(),
            hook_urls: (!hook_urls.is_empty())
                .then(|| serde_json::Value::Object(hook_urls).to_string()),
        });
        let favicon = match self.favicon {
            // A page of the app's own at the icon's path wins.
            _ if patterns.iter().any(|p| &**p == FAVICON_PATH) => Favicon::Off,
            other => other,
        };
        let mut router = Router::new();
        // A sticky part of a layout has no URL of its own.
        for pattern in patterns.into_iter().filter(|p| !p.starts_with('@')) {
            let inner = inner.clone();
            let pat = pattern.clone();
            router = router.route(
                &pattern,
                get(
                    move |path: Result<RawPathParams, RawPathParamsRejection>,
                          query: Result<Query<Vec<(String, String)>>, QueryRejection>,
                          uri: Uri,
                          peer: Option<Extension<ConnectInfo<SocketAddr>>>,
                          headers: HeaderMap| async move {
                        let mut params = Params::default();
                        if let Ok(Query(q)) = query {
                            q.into_iter().for_each(|(k, v)| params.insert(k, v));
                        }
                        if let Ok(path) = path {
                            path.iter().for_each(|(k, v)| params.insert(k, v));
                        }
                        let peer = peer.map(|Extension(ConnectInfo(a))| a.ip());
                        http_render(&inner, &pat, params, uri, peer, &headers).await
                    },
                ),
            );
        }
        // The scripts' gzip bodies are made once, off the request path.
        asset::warm();
        let ws_inner = inner.clone();
        let max_message = (inner.config.max_frame_bytes * 4)
            .max(crate::upload::MAX_CHUNK_SIZE + crate::wire::protocol::CHUNK_HEADER);
        let router = router
            .route(
                &format!("{mount_path}/socket"),
                get(
                    move |peer: Option<Extension<ConnectInfo<SocketAddr>>>,
                          mut req: axum::extract::Request| async move {
                        let peer = peer.map(|Extension(ConnectInfo(a))| a.ip());
                        let (switching, on_upgrade) = match socket::upgrade(&mut req) {
                            Ok(up) => up,
                            Err(refused) => return refused.into_response(),
                        };
                        let headers = req.headers();
                        if !same_origin_or_allowed(headers, &ws_inner.config.allowed_origins) {
                            tracing::warn!(
                                origin = ?headers.get(axum::http::header::ORIGIN),
                                "socket upgrade from another origin refused"
                            );
                            return StatusCode::FORBIDDEN.into_response();
                        }
                        tokio::spawn(async move {
                            match on_upgrade.await {
                                Ok(upgraded) => {
                                    socket::connection(ws_inner, upgraded, max_message, peer).await
                                }
                                Err(e) => tracing::debug!("socket upgrade failed: {e}"),
                            }
                        });
                        switching
                    },
                ),
            )
            .route(
                &format!("{mount_path}/{}", asset::client().file_name),
                get(|headers: HeaderMap| async move { asset::serve(asset::client(), &headers) }),
            )
            .route(
                &format!("{mount_path}/{}", asset::poll().file_name),
                get(|headers: HeaderMap| async move { asset::serve(asset::poll(), &headers) }),
            )
            .route(
                &format!("{mount_path}/{}", asset::upload().file_name),
                get(|headers: HeaderMap| async move { asset::serve(asset::upload(), &headers) }),
            )
            .route(
                &format!("{mount_path}/poll"),
                poll_routes(&inner, max_message),
            );
        let modules = self.hooks.into_iter().map(|(_, a)| a).chain(hooks_index);
        let router = modules.fold(router, |router, a| {
            router.route(
                &format!("{mount_path}/{}", a.file_name),
                get(move |headers: HeaderMap| std::future::ready(asset::serve(&a, &headers))),
            )
        });
        let transitions = asset::transitions();
        let router = router.route(
            &format!("{mount_path}/{}", transitions.file_name),
            get(move |headers: HeaderMap| async move { asset::serve(transitions, &headers) }),
        );
        let router = match &inner.config.dev_status {
            Some(file) => crate::server::dev::routes(router, &mount_path, file.clone()),
            None => router,
        };
        let router = match favicon {
            Favicon::Off => router,
            icon => router.route(
                FAVICON_PATH,
                get(move || std::future::ready(icon.response())),
            ),
        };
        (router, LiveEngine { inner })
    }
}

/// The engine behind a [`LiveRouter`]'s routes (see [`LiveRouter::into_parts`]).
///
/// ```
/// # async fn run(router: leptos_live::LiveRouter) -> std::io::Result<()> {
/// let (app, engine) = router.into_parts::<()>();
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// leptos_live::serve(listener, app).with_graceful_shutdown(engine.on_stop()).await
/// # }
/// ```
#[derive(Clone)]
pub struct LiveEngine {
    inner: Arc<EngineState>,
}

impl LiveEngine {
    /// Writes out the state of every running page that keeps one ([`LiveView::snapshot`]) to
    /// the snapshot directory, for the next process: a browser that rejoins within the
    /// retention window gets its page back from [`LiveView::restore`]. Returns how many pages
    /// were written. Call it when the process is about to stop (on SIGTERM or Ctrl-C).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let (_app, engine) = leptos_live::LiveRouter::new().into_parts::<()>();
    /// // No page runs: nothing to write.
    /// assert_eq!(engine.shutdown().await, 0);
    /// # });
    /// ```
    pub async fn shutdown(&self) -> usize {
        self.inner.snapshot_all().await
    }

    /// Resolves once the process is asked to stop (Ctrl-C or SIGTERM, see
    /// [`crate::server::stop_signal`]) and the pages that keep their state are written out
    /// ([`LiveEngine::shutdown`]): the graceful shutdown of a server, in one call.
    ///
    /// ```no_run
    /// # use leptos_live::LiveRouter;
    /// # async fn f(router: LiveRouter) -> std::io::Result<()> {
    /// let (app, engine) = router.into_parts::<()>();
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    /// leptos_live::serve(listener, app)
    ///     .with_graceful_shutdown(engine.on_stop())
    ///     .await
    /// # }
    /// ```
    pub async fn on_stop(self) {
        crate::server::listener::stop_signal().await;
        let written = self.shutdown().await;
        tracing::info!(written, "stopping");
    }
}

/// The long-poll transport's handlers (see [`crate::server::poll`]): every request passes the
/// origin check the socket's upgrade passes.
fn poll_routes<S: Clone + Send + Sync + 'static>(
    inner: &Arc<EngineState>,
    max_message: usize,
) -> axum::routing::MethodRouter<S> {
    use axum::body::Body;
    use axum::routing::{delete, post};
    let checked = |headers: &HeaderMap, inner: &EngineState| {
        let ok = same_origin_or_allowed(headers, &inner.config.allowed_origins);
        if !ok {
            tracing::warn!(
                origin = ?headers.get(axum::http::header::ORIGIN),
                "poll from another origin refused"
            );
        }
        ok
    };
    let (p, g, d) = (inner.clone(), inner.clone(), inner.clone());
    post(
        move |uri: Uri,
              peer: Option<Extension<ConnectInfo<SocketAddr>>>,
              headers: HeaderMap,
              body: Body| async move {
            if !checked(&headers, &p) {
                return poll::PollError::Origin.into_response();
            }
            match poll::session_id(uri.query()) {
                None => {
                    let peer = peer.map(|Extension(ConnectInfo(a))| a.ip());
                    poll::open(&p, peer).into_response()
                }
                Some(id) => poll::post(&p, id, &headers, body, max_message)
                    .await
                    .into_response(),
            }
        },
    )
    .merge(get(move |uri: Uri, headers: HeaderMap| async move {
        if !checked(&headers, &g) {
            return poll::PollError::Origin.into_response();
        }
        match poll::session_id(uri.query()) {
            None => poll::PollError::Gone.into_response(),
            Some(id) => poll::poll(&g, id).await.into_response(),
        }
    }))
    .merge(delete(move |uri: Uri, headers: HeaderMap| async move {
        if !checked(&headers, &d) {
            return poll::PollError::Origin.into_response();
        }
        match poll::session_id(uri.query()) {
            None => StatusCode::NO_CONTENT,
            Some(id) => poll::close(&d, id),
        }
        .into_response()
    }))
}

/// Whether a socket upgrade comes from a page of this site (its `Origin` names the host the
/// request was sent to) or of an allowed origin. An upgrade without `Origin` is not from a
/// browser page, and passes: the token still decides what it may join.
fn same_origin_or_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    use axum::http::header::{HOST, ORIGIN};
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return headers.get(ORIGIN).is_none();
    };
    if allowed.iter().any(|a| a.trim_end_matches('/') == origin) {
        return true;
    }
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::LiveRouter;
    use crate::config::LiveConfig;

    #[test]
    #[should_panic(expected = "is not a hook name")]
    fn a_hook_name_is_letters_digits_and_dashes() {
        let _ = LiveRouter::with_config(LiveConfig::default()).hook("my chart", "");
    }

    #[test]
    #[should_panic(expected = "given twice")]
    fn a_hook_is_given_once() {
        let _ = LiveRouter::with_config(LiveConfig::default())
            .hook("Chart", "export default {};")
            .hook("Chart", "export default {};");
    }
}

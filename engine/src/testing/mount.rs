//! Mounting a `LiveTest`: on its own, in a router's live session, or at a URL as a GET would.

use std::sync::Arc;

use axum::http::Uri;

use crate::config::LiveConfig;
use crate::ctx::Services;
use crate::error::LiveError;
use crate::flash::Flash;
use crate::page::core::{Core, CoreParts};
use crate::page::session::{Group, Mounting};
use crate::page::task::MountError;
use crate::page::task::{Fresh, Mount, MountArgs, mount_fresh};
use crate::params::{Params, Session};
use crate::server::router::LiveRouter;
use crate::view::LiveView;
use crate::wire::url::local_uri;
use crate::work::Queue;

use super::client::Client;

use super::LiveTest;

impl<V: LiveView> LiveTest<V> {
    /// Mounts the page as an HTTP render would, with a PubSub of its own.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// let page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.texts("li.item"), ["milk"]);
    /// # });
    /// ```
    pub async fn mount(params: Params, session: Session) -> Result<Self, MountError> {
        Self::start(
            params,
            session,
            Uri::from_static("/"),
            "/".into(),
            Services::default(),
            None,
            Flash::default(),
        )
        .await
    }

    /// Mounts the page with what `router` gives its pages (its PubSub and extensions), after
    /// the `on_mount` checks of the page's live session, as a browser's request would. A check
    /// that refuses, or a page that leaves as it mounts, gives [`MountError::Redirected`].
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// #[derive(Clone)]
    /// struct Db(&'static str);
    /// let router = LiveRouter::new().extension(Db("sqlite::memory:")).page::<Todos>("/");
    /// // With the router's PubSub, extensions and live session checks, and the params given.
    /// let page = LiveTest::<Todos>::mount_in(&router, Params::from_pairs([("filter", "open")]), Session::default()).await.unwrap();
    /// assert_eq!(page.text("#filter").as_deref(), Some("open"));
    /// # });
    /// ```
    pub async fn mount_in(
        router: &LiveRouter,
        params: Params,
        session: Session,
    ) -> Result<Self, MountError> {
        // A page the router does not route is mounted with its services alone.
        let (pattern, group) = match router.route_of::<V>() {
            Some((p, g)) => (p, Some(g)),
            None => ("/".into(), None),
        };
        Self::start(
            params,
            session,
            Uri::from_static("/"),
            pattern,
            router.services(),
            group,
            Flash::default(),
        )
        .await
    }

    /// Mounts the page `router` serves at `url` (its path and query become the params), after
    /// its live session's checks, as a browser's first request would.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// struct Room(String);
    /// impl LiveView for Room {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         Ok(Room(p.get("name").unwrap_or_default().to_string()))
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <h1>{self.0.clone()}</h1> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let router = LiveRouter::new().page::<Room>("/rooms/{name}");
    /// let page = LiveTest::<Room>::get(&router, "/rooms/lobby", Session::default()).await.unwrap();
    /// assert_eq!(page.text("h1").as_deref(), Some("lobby"));
    /// # });
    /// ```
    pub async fn get(router: &LiveRouter, url: &str, session: Session) -> Result<Self, MountError> {
        Self::get_with(router, url, session, Flash::default()).await
    }

    pub(super) async fn get_with(
        router: &LiveRouter,
        url: &str,
        session: Session,
        flash: Flash,
    ) -> Result<Self, MountError> {
        let (pattern, group) = route_of::<V>(router)?;
        let uri = local_uri(url).map_err(|e| LiveError::msg(format!("{url:?}: {e}")))?;
        let params = Params::for_route(&pattern, &uri).ok_or_else(|| {
            LiveError::msg(format!("{url:?} is not a URL of the page at {pattern:?}"))
        })?;
        Self::start(
            params,
            session,
            uri,
            pattern,
            router.services(),
            Some(group),
            flash,
        )
        .await
    }

    pub(super) async fn start(
        params: Params,
        session: Session,
        uri: Uri,
        pattern: Arc<str>,
        services: Services,
        group: Option<Arc<Group>>,
        flash: Flash,
    ) -> Result<Self, MountError> {
        let mut checked = Mounting::new(params, session, uri);
        if let Some(group) = group {
            checked = group.check(checked).await.map_err(|halt| {
                let (to, flash) = halt.into_parts();
                MountError::Redirected { to, flash }
            })?;
        }
        let args = MountArgs::checked(&checked, pattern, services, flash, None);
        let (url, keep) = (checked.uri.to_string(), checked.session);
        let fresh = match mount_fresh::<V>(args).await? {
            Mount::Page(fresh) => *fresh,
            Mount::Left { nav, ctx } => {
                return Err(MountError::Redirected {
                    to: nav.to().to_string(),
                    flash: ctx.flash().clone(),
                });
            }
        };
        let Fresh {
            view,
            mut ctx,
            info,
            html,
            pattern,
            uri,
            ..
        } = fresh;
        let work = ctx.take_work_rx().unwrap_or_else(Queue::new);
        let config = LiveConfig::default();
        let mut core = Core::new(CoreParts {
            view,
            ctx,
            html,
            id: Arc::from(url.as_str()),
            keep_tree_above: config.keep_tree_above_bytes,
            hot_window: config.hot_window,
            pattern,
            uri,
        });
        let mut client = Client::new(url);
        core.attach(0, true, None, None, &mut client);
        client.begin();
        Ok(LiveTest {
            core,
            info,
            work,
            client,
            session: keep,
            r: 0,
            ended: false,
            reports: None,
        })
    }
}

/// The route pattern and live session `router` serves `V` with.
pub(super) fn route_of<V: LiveView>(
    router: &LiveRouter,
) -> Result<(Arc<str>, Arc<Group>), MountError> {
    router.route_of::<V>().ok_or_else(|| {
        MountError::Failed(LiveError::msg(format!(
            "the router serves no page of type {}",
            std::any::type_name::<V>()
        )))
    })
}

//! Live sessions: groups of pages that share a layout and the checks run before any of them
//! mounts. Navigation between pages of one live session stays on the socket; leaving it is a
//! full page load.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::http::{Extensions, Uri};
use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use leptos::prelude::AnyView;

use crate::flash::{Flash, FlashKind};
use crate::page::task::{MountArgs, MountError, Mounted, mount};
use crate::params::{Params, Session};
use crate::view::LiveView;

/// What an `on_mount` check sees of a page about to mount, and where it leaves what it found
/// for the page ([`crate::Ctx::assigned`]).
///
/// ```
/// use leptos_live::{Halt, Mounting};
/// #[derive(Clone)]
/// struct User(String);
///
/// async fn require_user(mut m: Mounting) -> Result<Mounting, Halt> {
///     let Some(name) = m.session.get("user").and_then(|v| v.as_str()).map(String::from) else {
///         return Err(Halt::redirect("/login"));
///     };
///     m.assign(User(name));
///     Ok(m)
/// }
/// ```
pub struct Mounting {
    /// The page's path and query parameters.
    pub params: Params,
    /// The session, as the first HTTP request saw it.
    pub session: Session,
    /// The path and query the page mounts for.
    pub uri: Uri,
    pub(crate) assigns: Extensions,
}

impl Mounting {
    pub(crate) fn new(params: Params, session: Session, uri: Uri) -> Mounting {
        Mounting {
            params,
            session,
            uri,
            assigns: Extensions::new(),
        }
    }

    /// Leaves `value` for the page: its callbacks read it with [`crate::Ctx::assigned`]. One
    /// value per type; a second replaces the first.
    ///
    /// ```
    /// use leptos_live::{Halt, Mounting};
    /// #[derive(Clone)]
    /// struct Locale(String);
    /// async fn locale(mut m: Mounting) -> Result<Mounting, Halt> {
    ///     let lang = m.session.get("lang").and_then(|v| v.as_str()).unwrap_or("en").to_string();
    ///     m.assign(Locale(lang));             // pages: ctx.assigned::<Locale>()
    ///     Ok(m)
    /// }
    /// let session = leptos_live::LiveSession::new("app").on_mount(locale);
    /// ```
    pub fn assign<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.assigns.insert(value);
    }

    /// What an earlier check assigned.
    ///
    /// ```
    /// use leptos_live::{Halt, Mounting};
    /// #[derive(Clone)]
    /// struct User(String);
    /// #[derive(Clone)]
    /// struct Admin;
    /// // A second check builds on the first: it runs after `signed_in` (checks run in order).
    /// async fn admins_only(mut m: Mounting) -> Result<Mounting, Halt> {
    ///     match m.assigned::<User>() {
    ///         Some(User(name)) if name == "ada" => {
    ///             m.assign(Admin);
    ///             Ok(m)
    ///         }
    ///         _ => Err(Halt::redirect("/")),
    ///     }
    /// }
    /// # let _ = admins_only;
    /// ```
    pub fn assigned<T: Clone + Send + Sync + 'static>(&self) -> Option<&T> {
        self.assigns.get::<T>()
    }
}

/// An `on_mount` check's refusal: the page does not mount, and the browser goes to `to` with a
/// full page load (a 303 for the HTTP render), with an optional flash.
///
/// ```
/// use leptos_live::{FlashKind, Halt};
/// let halt = Halt::redirect("/").with_flash(FlashKind::Error, "Choose a nickname first.");
/// assert_eq!(halt.to(), "/");
/// ```
#[derive(Clone, Debug)]
pub struct Halt {
    to: String,
    flash: Flash,
}

impl Halt {
    /// Sends the browser to `to`, a path on this site.
    ///
    /// ```
    /// use leptos_live::{Halt, Mounting};
    /// async fn signed_in(m: Mounting) -> Result<Mounting, Halt> {
    ///     if m.session.get("user").is_none() {
    ///         return Err(Halt::redirect("/login"));
    ///     }
    ///     Ok(m)
    /// }
    /// # let _ = signed_in;
    /// assert_eq!(Halt::redirect("/login").to(), "/login");
    /// ```
    pub fn redirect(to: impl Into<String>) -> Halt {
        Halt {
            to: to.into(),
            flash: Flash::default(),
        }
    }

    /// Shows `message` on the page the browser lands on.
    ///
    /// ```
    /// use leptos_live::{FlashKind, Halt};
    /// let halt = Halt::redirect("/rooms/lobby").with_flash(FlashKind::Error, "That room is private.");
    /// assert_eq!(halt.to(), "/rooms/lobby");
    /// ```
    pub fn with_flash(mut self, kind: FlashKind, message: impl Into<String>) -> Halt {
        self.flash.put(kind, message);
        self
    }

    /// Where the browser goes.
    ///
    /// ```
    /// assert_eq!(leptos_live::Halt::redirect("/nick?back=%2Frooms%2Fa").to(), "/nick?back=%2Frooms%2Fa");
    /// ```
    pub fn to(&self) -> &str {
        &self.to
    }

    pub(crate) fn into_parts(self) -> (String, Flash) {
        (self.to, self.flash)
    }
}

pub(crate) type OnMount =
    Arc<dyn Fn(Mounting) -> BoxFuture<'static, Result<Mounting, Halt>> + Send + Sync>;

/// Wraps the live root (the page) in the session's document frame.
pub(crate) type Layout = Arc<dyn Fn(AnyView, &Mounting) -> AnyView + Send + Sync>;

/// What the pages of one live session share.
pub(crate) struct Group {
    pub name: String,
    pub layout: Option<Layout>,
    pub on_mount: Vec<OnMount>,
    /// The sticky parts of its layout, by name ([`LiveSession::sticky`]).
    pub stickies: Vec<String>,
}

impl Group {
    /// Runs the checks in order; the first refusal stops them.
    pub(crate) async fn check(&self, mut m: Mounting) -> Result<Mounting, Halt> {
        for check in &self.on_mount {
            m = check(m).await?;
        }
        Ok(m)
    }
}

/// Pages that share a layout and `on_mount` checks; moving between them is a live navigation
/// over the socket the tab already has. Give it to [`crate::LiveRouter::live_session`].
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, Halt, LiveError, LiveSession, LiveView, Mounting, Params, RawEvent, Session};
///
/// struct Home;
/// impl LiveView for Home {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Home) }
///     fn render(&self) -> impl IntoView { view! { <a href="/" lv-navigate>"Home"</a> } }
/// }
///
/// let app = LiveSession::new("app")
///     .layout(|page: AnyView, _: &Mounting| view! { <header>"My app"</header> <main>{page}</main> }.into_any())
///     .on_mount(|m: Mounting| async move { Ok::<_, Halt>(m) })
///     .page::<Home>("/");
/// let router: axum::Router = leptos_live::LiveRouter::new().live_session(app).into_router();
/// ```
pub struct LiveSession {
    pub(crate) group: Group,
    pub(crate) routes: Vec<(String, Arc<dyn Route>)>,
}

impl LiveSession {
    /// An empty live session; `name` shows in logs.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, Halt, LiveError, LiveRouter, LiveSession, LiveView, Mounting, Params, RawEvent, Session};
    /// # struct Home;
    /// # impl LiveView for Home {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Home) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"home"</p> } }
    /// # }
    /// # struct Settings;
    /// # impl LiveView for Settings {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Settings) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"settings"</p> } }
    /// # }
    /// // Links between "/" and "/settings" navigate over the tab's socket.
    /// let app = LiveSession::new("app").page::<Home>("/").page::<Settings>("/settings");
    /// let router: axum::Router = LiveRouter::new().live_session(app).into_router();
    /// ```
    pub fn new(name: impl Into<String>) -> LiveSession {
        LiveSession {
            group: Group {
                name: name.into(),
                layout: None,
                on_mount: Vec::new(),
                stickies: Vec::new(),
            },
            routes: Vec::new(),
        }
    }

    /// The frame around every page of the session: it gets the live root (the page) and what
    /// the page was mounted with (the session, the URL, and what the `on_mount` checks
    /// assigned, such as the current user), and returns the document's body. It is rendered
    /// with the document (the first HTTP render, a full load) and stays in place across live
    /// navigations, where only the page inside the root is replaced; the title follows the page.
    /// Links in it with `lv-navigate` navigate live. It renders with the page's URL as
    /// context: the link to the page shown gets `aria-current="page"` (see
    /// [`crate::location`]), and the shim moves the mark after each live navigation.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, Halt, LiveError, LiveRouter, LiveSession, LiveView, Mounting, Params, RawEvent, Session};
    /// # struct Home;
    /// # impl LiveView for Home {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Home) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"home"</p> } }
    /// # }
    /// # struct Settings;
    /// # impl LiveView for Settings {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Settings) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"settings"</p> } }
    /// # }
    /// let app = LiveSession::new("app")
    ///     .layout(|page: AnyView, m: &Mounting| {
    ///         let path = m.uri.path().to_string();
    ///         view! {
    ///             <nav><a href="/" lv-navigate>"Home"</a> <a href="/settings" lv-navigate>"Settings"</a></nav>
    ///             <main data-path=path>{page}</main>
    ///         }
    ///         .into_any()
    ///     })
    ///     .page::<Home>("/")
    ///     .page::<Settings>("/settings");
    /// # let _ = app;
    /// ```
    pub fn layout(
        mut self,
        layout: impl Fn(AnyView, &Mounting) -> AnyView + Send + Sync + 'static,
    ) -> LiveSession {
        self.group.layout = Some(Arc::new(layout));
        self
    }

    /// A check run before any page of the session mounts: on the first HTTP render, on every
    /// live navigation and on every mount at join. It runs again when a client comes back (any
    /// rejoin but the first after the HTTP render), before the page resumes: a page whose
    /// session ended since is sent to the check's redirect, with its flash. It may assign values
    /// for the page ([`Mounting::assign`]) or refuse with a redirect ([`Halt`]); on a resume
    /// what it assigns is not used (the page keeps what it mounted with). The session it sees
    /// is the one the page's token carries: a check that must notice a logout looks the session
    /// up where it lives (a store, a revocation list). Checks run in the order given.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, Halt, LiveError, LiveRouter, LiveSession, LiveView, Mounting, Params, RawEvent, Session};
    /// # struct Home;
    /// # impl LiveView for Home {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Home) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"home"</p> } }
    /// # }
    /// # struct Settings;
    /// # impl LiveView for Settings {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Settings) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"settings"</p> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let app = LiveSession::new("app")
    ///     .on_mount(|m: Mounting| async move {
    ///         if m.session.get("user").is_some() { Ok(m) } else { Err(Halt::redirect("/login")) }
    ///     })
    ///     .page::<Settings>("/settings");
    /// let router = LiveRouter::new().live_session(app);
    /// let refused = leptos_live::testing::LiveTest::<Settings>::get(&router, "/settings", Session::default()).await;
    /// assert!(refused.is_err());
    /// # });
    /// ```
    pub fn on_mount<F, Fut>(mut self, check: F) -> LiveSession
    where
        F: Fn(Mounting) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Mounting, Halt>> + Send + 'static,
    {
        self.group
            .on_mount
            .push(Arc::new(move |m| check(m).boxed()));
        self
    }

    /// A live part of the layout: the [`LiveView`] `V`, mounted beside every page of the session
    /// that renders over HTTP (through the session's checks), placed by the layout with
    /// [`crate::sticky`]`(name)`. It keeps its state (and its channel on the page's socket) across the live navigations
    /// of the page beside it, and updates live (PubSub, its own events); see [`crate::sticky`]
    /// for how it behaves. Names are unique within the router.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveSession, LiveView, Mounting, Params, RawEvent, Session, sticky};
    /// # struct Clock;
    /// # impl LiveView for Clock {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Clock) }
    /// #     fn render(&self) -> impl IntoView { view! { <time>"12:00"</time> } }
    /// # }
    /// # struct Home;
    /// # impl LiveView for Home {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Home) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"home"</p> } }
    /// # }
    /// let app = LiveSession::new("app")
    ///     .sticky::<Clock>("clock")
    ///     .layout(|page: AnyView, _: &Mounting| view! { <header>{sticky("clock")}</header> {page} }.into_any())
    ///     .page::<Home>("/");
    /// # let _ = app;
    /// ```
    pub fn sticky<V: LiveView>(mut self, name: &str) -> LiveSession {
        self.group.stickies.push(name.to_string());
        self.routes
            .push((crate::sticky::pattern(name), Arc::new(RouteOf::<V>::new())));
        self
    }

    /// Serves the page `V` at `path` (axum syntax: `/rooms/{name}`) in this session.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, Halt, LiveError, LiveRouter, LiveSession, LiveView, Mounting, Params, RawEvent, Session};
    /// # struct Home;
    /// # impl LiveView for Home {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Home) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"home"</p> } }
    /// # }
    /// # struct Settings;
    /// # impl LiveView for Settings {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Settings) }
    /// #     fn render(&self) -> impl IntoView { view! { <p>"settings"</p> } }
    /// # }
    /// let app = LiveSession::new("app").page::<Home>("/").page::<Settings>("/users/{id}/settings");
    /// # let _ = app;
    /// ```
    pub fn page<V: LiveView>(mut self, path: &str) -> LiveSession {
        self.routes
            .push((path.to_string(), Arc::new(RouteOf::<V>::new())));
        self
    }
}

/// A page type behind a route pattern, with its type erased.
pub(crate) trait Route: Send + Sync + 'static {
    fn mount(&self, args: MountArgs) -> BoxFuture<'static, Result<Mounted, MountError>>;
    /// The page type's id, for `LiveTest` to find a page's live session.
    #[cfg(any(test, feature = "testing"))]
    fn page_type(&self) -> std::any::TypeId;
}

pub(crate) struct RouteOf<V>(PhantomData<fn() -> V>);

impl<V> RouteOf<V> {
    pub(crate) fn new() -> Self {
        RouteOf(PhantomData)
    }
}

impl<V: LiveView> Route for RouteOf<V> {
    fn mount(&self, args: MountArgs) -> BoxFuture<'static, Result<Mounted, MountError>> {
        mount::<V>(args)
    }

    #[cfg(any(test, feature = "testing"))]
    fn page_type(&self) -> std::any::TypeId {
        std::any::TypeId::of::<V>()
    }
}

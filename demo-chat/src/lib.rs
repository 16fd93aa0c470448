//! The leptos-live chat: rooms, messages kept in SQLite or PostgreSQL, image attachments,
//! presence with typing, private rooms, and several server processes sharing rooms through
//! Redis.
//!
//! Everything here uses the public API of `leptos_live` only: two
//! [`LiveView`](leptos_live::LiveView)s ([`Lobby`] and
//! [`RoomPage`]), a [`Stream`](leptos_live::Stream) of messages, [`Presence`], and the app's
//! state handed to pages with [`LiveRouter::extension`].
//!
//! A message may carry up to three images (PNG, JPEG, GIF or WebP, up to 5 MB each), picked or
//! dropped on the message form with the engine's uploads. Their bytes decide their type; they
//! are kept in the [`attachments`] store beside the database and served only to people who may
//! see their room.

pub mod attachments;
mod db;
mod lobby;
mod members;
mod room;
mod session;
mod shared;
mod sidebar;

use axum::Router;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse as _};
use axum::routing::get;
use leptos::prelude::*;
use leptos_live::dashboard::Dashboard;
use leptos_live::{
    FlashKind, Halt, LiveEngine, LiveRouter, LiveSession, Mounting, Presence, PubSub,
};
use leptos_live_components::{Button, Field, FlashGroup, Link};

pub use attachments::Attachments;
pub use db::{Attachment, Db, Message, NewAttachment, Room, now_ms, remove_database};
pub use lobby::{Lobby, valid_room};
pub use members::{Members, MembersEvent, MembersProps};
pub use room::{MAX_BODY, Meta, PAGE, RoomEvent, RoomPage, topic};
pub use session::{COOKIE_NAME, Cookies, valid_nick};

/// What every page of the chat shares.
#[derive(Clone)]
pub struct App {
    /// The history and the rooms.
    pub db: Db,
    /// Who is in which room.
    pub presence: Presence<Meta>,
    /// The nickname cookie.
    pub cookies: Cookies,
    /// Where the images attached to messages are kept.
    pub attachments: Attachments,
    /// The nickname that may open the dashboard at `/admin`, if any.
    pub admin: Option<String>,
}

/// Where the chat keeps its data.
#[derive(Clone, Debug)]
pub struct ChatConfig {
    /// `sqlite://path` or `postgres://…`.
    pub database_url: String,
    /// How often this process tells the others it is alive; its users leave the others' lists
    /// three periods after it goes silent (default 5 s).
    pub presence_heartbeat: std::time::Duration,
    /// Where images attached to messages are kept. `None`: a directory `attachments` beside
    /// the SQLite file (in the working directory for PostgreSQL). Each database needs a
    /// directory of its own.
    pub attachments_dir: Option<std::path::PathBuf>,
    /// The nickname that may open the dashboard at `/admin` (`CHAT_ADMIN`); nobody when `None`.
    pub admin: Option<String>,
}

impl ChatConfig {
    /// `DATABASE_URL` when set, else the SQLite file `CHAT_DB` (default `chat.db`);
    /// `PRESENCE_HEARTBEAT_MS` for the heartbeat; `CHAT_ATTACHMENTS` for the images' directory;
    /// `CHAT_ADMIN` for the nickname that may open the dashboard.
    pub fn from_env() -> ChatConfig {
        let presence_heartbeat = std::env::var("PRESENCE_HEARTBEAT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(
                std::time::Duration::from_secs(5),
                std::time::Duration::from_millis,
            );
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => url,
            _ => format!(
                "sqlite://{}",
                std::env::var("CHAT_DB").unwrap_or_else(|_| "chat.db".to_string())
            ),
        };
        let attachments_dir = std::env::var_os("CHAT_ATTACHMENTS")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from);
        let admin = std::env::var("CHAT_ADMIN")
            .ok()
            .filter(|n| valid_nick(n).is_ok());
        ChatConfig {
            database_url,
            presence_heartbeat,
            attachments_dir,
            admin,
        }
    }

    /// The directory for attachments: [`ChatConfig::attachments_dir`] when set, else
    /// `attachments` beside the SQLite file, else `attachments` in the working directory.
    ///
    /// ```
    /// let config = demo_chat::ChatConfig {
    ///     database_url: "sqlite://data/chat.db?mode=rwc".into(),
    ///     presence_heartbeat: std::time::Duration::from_secs(5),
    ///     attachments_dir: None,
    ///     admin: None,
    /// };
    /// assert_eq!(config.attachments_dir(), std::path::Path::new("data/attachments"));
    /// ```
    pub fn attachments_dir(&self) -> std::path::PathBuf {
        if let Some(dir) = &self.attachments_dir {
            return dir.clone();
        }
        let file = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|f| !f.is_empty() && !f.starts_with(':'));
        match file {
            Some(file) => std::path::Path::new(file)
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .join("attachments"),
            None => std::path::PathBuf::from("attachments"),
        }
    }
}

/// The chat's stylesheet, generated from the Tailwind classes in these sources.
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/app.css"));

/// What `/chat.css` serves: [`CSS`], then the components' own rules
/// ([`leptos_live_components::STYLES`]: their spinners show only while an event is slow) and
/// the dashboard's ([`leptos_live::dashboard::STYLESHEET`]). Under the chat's [`CSP`] a page may
/// not carry a `<style>` of its own.
pub fn stylesheet() -> &'static str {
    static SHEET: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SHEET.get_or_init(|| {
        format!(
            "{CSS}{}{}",
            leptos_live_components::STYLES,
            leptos_live::dashboard::STYLESHEET
        )
    })
}

/// The chat's hooks (clear the field once posted, send on Enter, scroll to the newest message),
/// a module served at `/chat-hooks.js` so that pages carry no inline script.
pub const HOOKS_JS: &str = include_str!("../assets/hooks.js");

/// The Content-Security-Policy every response of the chat carries: scripts from this site only,
/// no inline script; images from this site, and `blob:` for the previews of picked files.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

impl App {
    /// Opens the database (creating and migrating it) and starts presence over `pubsub`.
    /// Returns the app and the secret for page tokens and cookies: `LEPTOS_LIVE_SECRET`, else
    /// one kept in the database, so that restarts and sibling processes accept each other's
    /// tokens.
    pub async fn open(config: &ChatConfig, pubsub: &PubSub) -> Result<(App, String), sqlx::Error> {
        let db = Db::connect(&config.database_url).await?;
        let secret = match std::env::var("LEPTOS_LIVE_SECRET") {
            Ok(s) if s.len() >= 32 => s,
            _ => db.setting("secret", random_secret).await?,
        };
        let attachments = Attachments::new(config.attachments_dir());
        tracing::info!(dir = %attachments.dir().display(), "attachments kept here");
        let app = App {
            db,
            presence: Presence::with_heartbeat(pubsub, config.presence_heartbeat),
            cookies: Cookies::new(format!("cookie:{secret}").as_bytes()),
            attachments,
            admin: config.admin.clone(),
        };
        Ok((app, secret))
    }

    /// The live pages, `/` and `/rooms/{name}`, with this app as their extension: one live
    /// session, so that moving between rooms stays on the tab's socket. Its check sends people
    /// without a nickname to the nickname form; the sidebar's list of rooms mounts beside each page.
    /// Uploads are written beside the attachments (unless `LEPTOS_LIVE_UPLOADS` says
    /// otherwise), so that keeping an image is a rename.
    pub fn live_router(&self, pubsub: PubSub, secret: &str) -> LiveRouter {
        let mut live_config =
            leptos_live::LiveConfig::from_env().with_secret(secret.as_bytes().to_vec());
        if live_config.upload_dir.is_none() {
            live_config = live_config.with_upload_dir(self.attachments.dir().join(".incoming"));
        }
        let cookies = self.cookies.clone();
        let chat = LiveSession::new("chat")
            .on_mount(signed_in)
            .sticky::<sidebar::RoomList>("rooms")
            .layout(layout)
            .page::<Lobby>("/")
            .page::<RoomPage>("/rooms/{name}");
        let app = self.clone();
        // The dashboard is a part of a page: the app gives it its landmark.
        let admin = LiveSession::new("admin")
            .on_mount(move |m| admin_only(app.clone(), m))
            .layout(|page, _| {
                view! { <main class="min-h-screen bg-slate-50">{page}</main> }.into_any()
            })
            .page::<Dashboard>("/admin");
        LiveRouter::with_config(live_config)
            .pubsub(pubsub)
            .extension(self.clone())
            .head(
                r#"<link rel="stylesheet" href="/chat.css"><script type="module" src="/chat-hooks.js"></script>"#,
            )
            .session(move |headers| cookies.session(headers))
            .live_session(chat)
            .live_session(admin)
    }

    /// All the chat's routes for this app (see [`app`]).
    pub fn router(&self, pubsub: PubSub, secret: &str) -> Router {
        self.router_with_engine(pubsub, secret).0
    }

    /// All the chat's routes, and the engine behind its live pages (to stop it gracefully).
    pub fn router_with_engine(&self, pubsub: PubSub, secret: &str) -> (Router, LiveEngine) {
        let cookies = self.cookies.clone();
        let files = self.clone();
        let (live, engine) = self.live_router(pubsub, secret).into_parts();
        let routes = Router::new()
            .route(
                "/chat.css",
                get(|| async { ([("content-type", "text/css")], stylesheet()) }),
            )
            .route(
                "/chat-hooks.js",
                get(|| async { ([("content-type", "text/javascript")], HOOKS_JS) }),
            )
            .route(
                "/nick",
                get(nick_page)
                    .post(move |headers, form| session::set_nick(cookies.clone(), headers, form)),
            )
            .route(
                "/rooms/{name}/files/{id}",
                get(move |headers, Path((room, id)): Path<(String, String)>| {
                    attachments::serve(files.clone(), headers, room, id)
                }),
            )
            .merge(live);
        (
            routes.layer(axum::middleware::map_response(with_csp)),
            engine,
        )
    }
}

/// The signed-in user, assigned by the chat's `on_mount` check.
#[derive(Clone, Debug)]
pub struct Nick(pub String);

/// The chat's `on_mount` check: a nickname, or the nickname form (coming back here after).
async fn signed_in(mut m: Mounting) -> Result<Mounting, Halt> {
    let Some(nick) = m
        .session
        .get("nick")
        .and_then(|v| v.as_str())
        .map(String::from)
    else {
        let back: String = form_urlencoded::byte_serialize(m.uri.to_string().as_bytes()).collect();
        return Err(Halt::redirect(format!("/nick?return_to={back}")));
    };
    m.assign(Nick(nick));
    Ok(m)
}

/// The dashboard's `on_mount` check: signed in as the configured admin ([`ChatConfig::admin`]),
/// or back to the lobby with a flash that says why.
async fn admin_only(app: App, m: Mounting) -> Result<Mounting, Halt> {
    let m = signed_in(m).await?;
    let nick = m.assigned::<Nick>().map(|n| n.0.as_str());
    if app.admin.is_some() && nick == app.admin.as_deref() {
        return Ok(m);
    }
    tracing::warn!(
        nick = nick.unwrap_or_default(),
        "the dashboard refused someone"
    );
    Err(Halt::redirect("/").with_flash(
        FlashKind::Error,
        "Only the chat's admin may open the dashboard.",
    ))
}

/// The chat's layout: the header and the sidebar stay in the document while the user moves
/// between rooms; only the page in the live root changes. The sidebar's list of rooms is a
/// sticky part ([`sidebar::RoomList`]): it keeps its socket across those moves and shows new
/// rooms as they are made.
fn layout(page: AnyView, m: &Mounting) -> AnyView {
    let nick = m
        .assigned::<Nick>()
        .map(|n| n.0.clone())
        .unwrap_or_default();
    view! {
        <div class="min-h-screen bg-slate-50">
            <header class="border-b border-slate-200 bg-white">
                <div class="mx-auto flex max-w-6xl items-center justify-between px-4 py-3">
                    <Link to="/" class="font-bold text-indigo-700">"leptos-live chat"</Link>
                    <span class="text-sm text-slate-600">"Signed in as " <b id="me">{nick}</b></span>
                </div>
            </header>
            <div class="mx-auto flex max-w-6xl gap-4 px-4 py-4">
                <nav id="sidebar" class="hidden w-48 shrink-0 md:block">
                    <Link to="/" class="mb-2 block rounded-lg px-3 py-1.5 font-medium text-slate-800 hover:bg-indigo-50 aria-[current]:bg-indigo-100">"All rooms"</Link>
                    {leptos_live::sticky("rooms")}
                </nav>
                <main class="min-w-0 flex-1">{page}</main>
            </div>
        </div>
    }
    .into_any()
}

/// `GET /nick`: the nickname form, a plain page (the cookie is set by an HTTP response).
async fn nick_page(
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    let back = q
        .get("return_to")
        .cloned()
        .unwrap_or_else(|| "/".to_string());
    // A token in a cookie and in the form: a form posted from another site lacks the cookie's.
    let csrf: String = {
        let mut buf = [0u8; 16];
        if getrandom::fill(&mut buf).is_err() {
            tracing::error!("no OS randomness for the form's token");
        }
        buf.iter().map(|b| format!("{b:02x}")).collect()
    };
    let body = Owner::new().with(|| nick_form(&back, &csrf).to_html());
    let page = Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Choose a nickname · leptos-live chat</title><link rel=\"stylesheet\" href=\"/chat.css\"></head><body class=\"min-h-screen bg-slate-50 p-6\">{body}</body></html>"
    ));
    let cookie = format!(
        "{}={csrf}; Path=/nick; HttpOnly; SameSite=Strict; Max-Age=3600",
        session::CSRF_COOKIE
    );
    ([(axum::http::header::SET_COOKIE, cookie)], page).into_response()
}

/// Opens the app and makes all the chat's routes: the live pages, `/nick`, `/chat.css` and the
/// attachments. The PubSub comes from `REDIS_URL` (see [`PubSub::from_env`]).
pub async fn app(config: &ChatConfig) -> Result<Router, sqlx::Error> {
    Ok(app_with_engine(config).await?.0)
}

/// [`app`], and the engine behind its live pages, for a graceful stop
/// ([`LiveEngine::on_stop`]).
pub async fn app_with_engine(config: &ChatConfig) -> Result<(Router, LiveEngine), sqlx::Error> {
    let pubsub = PubSub::from_env();
    let (app, secret) = App::open(config, &pubsub).await?;
    Ok(app.router_with_engine(pubsub, &secret))
}

/// Adds the chat's Content-Security-Policy to a response.
async fn with_csp(mut res: axum::response::Response) -> axum::response::Response {
    res.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(CSP),
    );
    res
}

fn random_secret() -> String {
    let mut buf = [0u8; 32];
    if getrandom::fill(&mut buf).is_err() {
        tracing::error!("no OS randomness; the chat's secret is weak");
        let seed = db::now_ms() as u64 ^ u64::from(std::process::id());
        buf.iter_mut()
            .enumerate()
            .for_each(|(i, b)| *b = (seed.rotate_left(i as u32) & 0xff) as u8);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A page's heading and flash messages above its content.
fn shell(heading: &str, body: AnyView) -> impl IntoView + use<> {
    view! {
        <div class="space-y-4">
            <FlashGroup />
            <h1 id="heading" class="truncate text-lg font-semibold text-slate-800">{heading.to_string()}</h1>
            {body}
        </div>
    }
}

/// The nickname form: a plain HTML form, since the cookie is set by an HTTP response (and so
/// not a [`leptos_live_components::Form`], whose events go over the socket).
fn nick_form(return_to: &str, csrf: &str) -> impl IntoView + use<> {
    view! {
        <main class="mx-auto max-w-sm space-y-3">
        <h1 class="text-lg font-semibold text-slate-800">"leptos-live chat"</h1>
        <form id="nick-form" method="post" action="/nick" class="space-y-3 rounded-xl border border-slate-200 bg-white p-6">
            <Field id="nick" label="Choose a nickname" hint="Letters, digits, - and _; at most 24." let:control>
                <input id=control.id name="nick" required maxlength="24" autocomplete="nickname" aria-describedby=control.described_by class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2" />
            </Field>
            <input type="hidden" name="return_to" value=return_to.to_string() />
            <input type="hidden" name="csrf" value=csrf.to_string() />
            <Button submit=true>"Enter"</Button>
        </form>
        </main>
    }
}

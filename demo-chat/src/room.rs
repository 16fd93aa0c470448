//! `/rooms/{name}`: messages with their images, presence and typing.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Uri;
use leptos::prelude::*;
use leptos_live::presence::{PresenceDiff, Tracked};
use leptos_live::stream::At;
use leptos_live::upload::{
    CANCEL_UPLOAD, LiveFileInput, LiveImgPreview, UploadEntry, UploadError, upload,
};
use leptos_live::{Ctx, FlashKind, LiveError, LiveView, Params, Session, Stream, live_component};
use leptos_live_components::{Button, Form, Link, Size, Tabs, Variant};
use serde::{Deserialize, Serialize};

use crate::attachments::{self, AttachmentError, Staged, UPLOAD};
use crate::db::Message;
use crate::members::{Members, MembersProps};
use crate::shared::Lists;
use crate::{App, Nick, shell};

/// Messages sent on entry and per scroll back.
pub const PAGE: i64 = 50;
/// The longest message accepted, in characters.
pub const MAX_BODY: usize = 2000;
/// The most names the presence list shows.
const SHOWN: usize = 50;

/// The presence lists pages show: every page of a room holds the same one.
static ONLINE: Lists<(String, bool)> = Lists::new();

/// What a user's presence carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Typing now.
    pub typing: bool,
}

/// What a room's topic carries between pages (and servers). New messages have a topic of
/// their own ([`posts`]), which feeds the pages' message streams.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum RoomEvent {
    /// The member list changed: pages check their access again.
    Members,
}

/// What the room page's forms and links send.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Send a message, with the images picked for it.
    Post {
        /// The text (may be empty when images go with it).
        #[serde(default)]
        body: String,
    },
    /// The message field changed (typing presence).
    Typing {
        /// The text so far.
        #[serde(default)]
        body: String,
    },
    /// The user scrolled to the oldest message shown.
    Older,
}

/// Which list the room's side panel shows (`?tab=` in the URL, changed with `lv-patch` links).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// Who is here now.
    #[default]
    Online,
    /// Who may enter.
    Members,
}

/// The room page's URL parameters.
#[derive(Debug, Deserialize)]
struct RoomParams {
    #[serde(default)]
    tab: Option<Tab>,
}

/// What reaches a room page's `handle_info`.
pub enum Msg {
    /// From the room's topic.
    Room(RoomEvent),
    /// Someone came, went or started typing.
    Presence,
    /// The typing indicator's timer, with the typing generation it belongs to (32 bits: the
    /// page's queue of messages is sized by the largest, a generation only needs to differ
    /// from the previous one).
    StopTyping(u32),
}

impl From<RoomEvent> for Msg {
    fn from(e: RoomEvent) -> Msg {
        Msg::Room(e)
    }
}

impl From<PresenceDiff<Meta>> for Msg {
    fn from(_: PresenceDiff<Meta>) -> Msg {
        Msg::Presence
    }
}

/// The PubSub topic of a room.
pub fn topic(room: &str) -> String {
    format!("room:{room}")
}

/// The PubSub topic of a room's new messages: it feeds the message stream of every page in the
/// room (`Ctx::feed`), which writes each message once for all of them.
pub fn posts(room: &str) -> String {
    format!("room:{room}:posts")
}

/// Whether a room page may show its room.
enum Access {
    Denied,
    In(Box<Inside>),
}

struct Inside {
    nick: String,
    owner: bool,
    private: bool,
    messages: Stream<Message>,
    /// The oldest message id loaded, for scrolling back.
    oldest: Option<i64>,
    more: bool,
    me: Tracked<Meta>,
    typing_gen: u32,
    /// Who is here (up to [`SHOWN`]) and whether they are typing, shared with the room's
    /// other pages.
    online: Arc<[(String, bool)]>,
    online_count: usize,
    error: Option<String>,
    tab: Tab,
    members: Vec<String>,
}

/// The room page.
pub struct RoomPage {
    app: App,
    room: String,
    access: Access,
}

fn dom_id(m: &Message) -> String {
    format!("m-{}", m.id)
}

impl RoomPage {
    fn refresh_online(&mut self) {
        if let Access::In(inside) = &mut self.access {
            let t = topic(&self.room);
            inside.online = ONLINE.share(
                self.app
                    .presence
                    .users(&t, SHOWN)
                    .into_iter()
                    .map(|(k, metas)| {
                        let typing = metas.iter().any(|m| m.typing);
                        (k, typing)
                    })
                    .collect(),
            );
            inside.online_count = self.app.presence.user_count(&t);
        }
    }

    /// Checks, on every event, that the user may still be here. A room's privacy is set when
    /// it is made, and rooms are not removed, so a public room needs no query: only a private
    /// room's members can change.
    async fn check(&mut self) -> Result<(), LiveError> {
        let Access::In(inside) = &self.access else {
            return Err(LiveError::msg("you are not in this room"));
        };
        if !inside.private
            || self
                .app
                .db
                .may_enter(&self.room, &inside.nick)
                .await
                .map_err(LiveError::msg)?
        {
            Ok(())
        } else {
            self.access = Access::Denied;
            Err(LiveError::msg("this room is for members only"))
        }
    }

    fn inside(&mut self) -> Result<&mut Inside, LiveError> {
        match &mut self.access {
            Access::In(i) => Ok(i),
            _ => Err(LiveError::msg("you are not in this room")),
        }
    }
}

impl LiveView for RoomPage {
    type Message = Msg;
    type Event = Action;

    async fn mount(params: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let app = ctx.extension::<App>()?.clone();
        let room = params.get("name").unwrap_or_default().to_string();
        let nick = ctx.assigned::<Nick>()?.0.clone();
        let info = app.db.room(&room).await.map_err(LiveError::msg)?;
        let allowed = match &info {
            Some(_) => app
                .db
                .may_enter(&room, &nick)
                .await
                .map_err(LiveError::msg)?,
            None => false,
        };
        let Some(info) = info.filter(|_| allowed) else {
            // The same answer for a room that does not exist and one that is not yours.
            ctx.put_flash(
                FlashKind::Error,
                format!("#{room} does not exist or is for members only."),
            );
            ctx.redirect("/");
            return Ok(RoomPage {
                app,
                room,
                access: Access::Denied,
            });
        };
        ctx.allow_upload(UPLOAD, attachments::upload_config());
        let t = topic(&room);
        ctx.subscribe::<RoomEvent>(&t);
        ctx.subscribe_presence(&app.presence, &t);
        let me = ctx.track(&app.presence, &t, nick.clone(), Meta::default());
        let history = app
            .db
            .history(&room, None, PAGE)
            .await
            .map_err(LiveError::msg)?;
        let mut messages = ctx
            .stream("messages", dom_id)
            .with_shared_template(message_view);
        let oldest = history.first().map(|m| m.id);
        let more = history.len() as i64 == PAGE;
        messages.insert_many(At::End, history);
        ctx.feed(&messages, &posts(&room))?;
        let mut page = RoomPage {
            app,
            access: Access::In(Box::new(Inside {
                owner: info.owner == nick,
                private: info.private,
                nick,
                messages,
                oldest,
                more,
                me,
                typing_gen: 0,
                online: Arc::new([]),
                online_count: 0,
                error: None,
                tab: Tab::Online,
                members: Vec::new(),
            })),
            room,
        };
        page.refresh_online();
        Ok(page)
    }

    async fn handle_params(
        &mut self,
        params: &Params,
        _: &Uri,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        let tab = params.deserialize::<RoomParams>()?.tab.unwrap_or_default();
        let room = self.room.clone();
        let db = self.app.db.clone();
        if let Access::In(inside) = &mut self.access {
            inside.tab = tab;
            if tab == Tab::Members {
                inside.members = db.members(&room).await.map_err(LiveError::msg)?;
            }
        }
        Ok(())
    }

    async fn handle_event(&mut self, event: Action, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.check().await?;
        let room = self.room.clone();
        let db = self.app.db.clone();
        let inside = self.inside()?;
        match event {
            Action::Post { body } => {
                let body = body.trim().to_string();
                let images = ctx.upload(UPLOAD).map_or(0, |u| {
                    u.entries.iter().filter(|e| e.done && e.is_valid()).count()
                });
                if body.is_empty() && images == 0 {
                    inside.error = Some("Write something first.".into());
                    return Ok(());
                }
                if body.chars().count() > MAX_BODY {
                    inside.error = Some(format!("Messages are at most {MAX_BODY} characters."));
                    return Ok(());
                }
                let store = self.app.attachments.clone();
                let staged = ctx.consume_uploaded_entries(UPLOAD, |file| {
                    store.stage(file.path, &file.entry.name)
                });
                let (staged, refused) = split_staged(staged)?;
                let inside = self.inside()?;
                inside.error = refused;
                if body.is_empty() && staged.is_empty() {
                    return Ok(());
                }
                let msg = store
                    .post(&db, &room, &inside.nick, &body, staged)
                    .await
                    .map_err(LiveError::msg)?;
                ctx.broadcast(&posts(&room), msg).map_err(LiveError::msg)?;
                ctx.push_event("posted", serde_json::json!({}));
                if inside.me.meta().typing {
                    inside.me.update(|m| m.typing = false);
                }
            }
            Action::Typing { body } => {
                let typing = !body.trim().is_empty();
                inside.error = None;
                if inside.me.meta().typing != typing {
                    inside.me.update(|m| m.typing = typing);
                }
                if typing {
                    inside.typing_gen = inside.typing_gen.wrapping_add(1);
                    ctx.send_after(Duration::from_secs(4), Msg::StopTyping(inside.typing_gen));
                }
            }
            Action::Older => {
                if let Some(oldest) = inside.oldest {
                    let older = db
                        .history(&room, Some(oldest), PAGE)
                        .await
                        .map_err(LiveError::msg)?;
                    inside.more = older.len() as i64 == PAGE;
                    if let Some(first) = older.first() {
                        inside.oldest = Some(first.id);
                    }
                    inside.messages.insert_many(At::Start, older);
                }
            }
        }
        Ok(())
    }

    async fn handle_info(&mut self, msg: Msg, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match msg {
            Msg::Room(RoomEvent::Members) => {
                if let Access::In(inside) = &self.access
                    && inside.private
                {
                    // Reading is checked too: a page whose user lost access stops showing.
                    if self.check().await.is_err() {
                        ctx.unsubscribe(&topic(&self.room));
                        ctx.unsubscribe(&posts(&self.room));
                    }
                }
                let (room, db) = (self.room.clone(), self.app.db.clone());
                if let Access::In(inside) = &mut self.access
                    && inside.tab == Tab::Members
                {
                    inside.members = db.members(&room).await.map_err(LiveError::msg)?;
                }
            }
            Msg::Presence => self.refresh_online(),
            Msg::StopTyping(generation) => {
                if let Access::In(inside) = &mut self.access
                    && inside.typing_gen == generation
                    && inside.me.meta().typing
                {
                    inside.me.update(|m| m.typing = false);
                }
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        format!("#{} · leptos-live chat", self.room)
    }

    fn render(&self) -> impl IntoView {
        let room = self.room.clone();
        let body = match &self.access {
            Access::Denied => view! {
                <p id="denied" class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-amber-900">
                    "This room does not exist or is for members only."
                </p>
                <Link to="/">"Back to the rooms"</Link>
            }
            .into_any(),
            Access::In(inside) => render_inside(&room, inside).into_any(),
        };
        shell(&format!("#{room}"), body)
    }
}

/// The images that passed their check, and a line for the user naming those that did not.
/// A file that could not be stored is the server's failure, not the user's: the event fails.
fn split_staged(
    results: Vec<Result<Staged, AttachmentError>>,
) -> Result<(Vec<Staged>, Option<String>), LiveError> {
    let mut staged = Vec::with_capacity(results.len());
    let mut refused = Vec::new();
    for r in results {
        match r {
            Ok(s) => staged.push(s),
            Err(AttachmentError::NotAnImage { name }) => refused.push(name),
            Err(e) => {
                tracing::error!(error = %e, "cannot keep an attachment");
                return Err(LiveError::msg(e));
            }
        }
    }
    let line = (!refused.is_empty()).then(|| {
        format!(
            "Not attached, as it is not a PNG, JPEG, GIF or WebP image: {}.",
            refused.join(", ")
        )
    });
    Ok((staged, line))
}

fn clock(at_ms: i64) -> String {
    let secs = at_ms.div_euclid(1000);
    let day = secs.rem_euclid(86_400);
    format!("{:02}:{:02}", day / 3600, day % 3600 / 60)
}

/// One message in the list: its text (when it has any), then its images.
fn message_view(id: String, m: &Message) -> impl IntoView + use<> {
    let images = (!m.attachments.is_empty()).then(|| {
        let list = m
            .attachments
            .iter()
            .map(|a| {
                view! {
                    <img src=attachments::url(&m.room, a.id) alt=format!("Image from {}", m.author) loading="lazy" class="max-h-48 max-w-full rounded-lg border border-slate-200" />
                }
            })
            .collect_view();
        view! { <div class="mt-1 flex flex-wrap gap-2">{list}</div> }
    });
    view! {
        <li id=id class="px-3 py-1.5">
            <div class="flex items-baseline gap-2">
                <span class="font-semibold text-slate-800">{m.author.clone()}</span>
                <time class="text-xs text-slate-500">{clock(m.at)}</time>
            </div>
            {(!m.body.is_empty()).then(|| view! { <p class="whitespace-pre-wrap break-words text-slate-700">{m.body.clone()}</p> })}
            {images}
        </li>
    }
}

/// Why an upload or one of its entries was refused, for people.
fn upload_errors(errors: &[UploadError]) -> String {
    errors
        .iter()
        .map(|e| match e {
            UploadError::TooLarge => {
                format!("larger than {} MB", attachments::MAX_BYTES / 1_000_000)
            }
            UploadError::NotAccepted => "not a PNG, JPEG, GIF or WebP image".to_string(),
            UploadError::TooManyFiles => {
                format!("at most {} images per message", attachments::MAX_FILES)
            }
            e => e.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One picked image in the message form: its preview, name, progress or errors, and a button
/// that takes it away.
fn picked_view(e: &UploadEntry) -> impl IntoView + use<> {
    let failed = !e.is_valid();
    let status = if failed {
        upload_errors(&e.errors)
    } else if e.done {
        "ready".to_string()
    } else {
        format!("{}%", e.progress())
    };
    view! {
        <li id=format!("picked-{}", e.id) class="picked flex items-center gap-2 rounded-lg border border-slate-200 p-1 text-sm" data-done=e.done.to_string()>
            <LiveImgPreview entry=e.clone() class="h-12 w-12 rounded object-cover" />
            <div class="min-w-0 flex-1">
                <p class="truncate text-slate-700">{e.name.clone()}</p>
                {(!failed).then(|| view! { <progress class="h-1.5 w-full" max="100" value=e.progress().to_string()></progress> })}
                <p class=if failed { "status text-xs text-red-600" } else { "status text-xs text-slate-500" }>{status}</p>
            </div>
            <Button event=CANCEL_UPLOAD variant=Variant::Ghost size=Size::Sm label=format!("Remove {}", e.name) attr:lv-value-ref=e.id.to_string()>"×"</Button>
        </li>
    }
}

/// The presence list's look, its items' included.
const ONLINE_CLASS: &str = "space-y-1 text-sm [&>li]:flex [&>li]:items-center [&>li]:gap-2 [&>li]:text-slate-700 [&>li]:before:h-2 [&>li]:before:w-2 [&>li]:before:shrink-0 [&>li]:before:rounded-full [&>li]:before:bg-emerald-500";

fn render_inside(room: &str, inside: &Inside) -> impl IntoView + use<> {
    let typing: Vec<String> = inside
        .online
        .iter()
        .filter(|(n, t)| *t && *n != inside.nick)
        .map(|(n, _)| n.clone())
        .collect();
    let typing_line = match typing.len() {
        0 => String::new(),
        1 => format!("{} is typing…", typing[0]),
        _ => format!("{} are typing…", typing.join(", ")),
    };
    let online = inside
        .online
        .iter()
        .map(|(name, t)| {
            let t = *t;
            // Each item's look (a row, a green dot before the name) is the list's, set once
            // on it: a page keeps the HTML it sent, and this list is most of it.
            view! {
                <li data-user=name.clone()>
                    {name.clone()}
                    {t.then(|| view! { <span class="text-xs italic text-slate-500">"typing"</span> })}
                </li>
            }
        })
        .collect_view();
    // The members panel shows something on the members tab, and to the owner of a private room
    // (the forms that let people in and out); elsewhere it would be an empty part that every
    // page of the room keeps, so it is not placed.
    let members = (inside.tab == Tab::Members || (inside.private && inside.owner)).then(|| {
        live_component::<Members>(
            "members",
            MembersProps {
                room: room.to_string(),
                private: inside.private,
                owner: inside.owner,
                list: (inside.tab == Tab::Members).then(|| inside.members.clone()),
            },
        )
    });
    let images = upload(UPLOAD);
    let picked = images.entries.iter().map(picked_view).collect_view();
    let images_error = upload_errors(&images.errors);
    let messages = inside.messages.render();
    let more = inside.more.then_some("older");
    let (placeholder, error) = (format!("Message #{room}"), inside.error.clone());
    let tabs = vec![
        leptos_live_components::Tab::new(
            "Online",
            format!("/rooms/{room}?tab=online"),
            inside.tab == Tab::Online,
        )
        .id("tab-online")
        .count(inside.online_count),
        leptos_live_components::Tab::new(
            "Members",
            format!("/rooms/{room}?tab=members"),
            inside.tab == Tab::Members,
        )
        .id("tab-members"),
    ];
    view! {
        <div class="flex flex-col gap-4 md:flex-row">
            <section class="flex min-w-0 flex-1 flex-col rounded-xl border border-slate-200 bg-white">
                <div id="scroller" lv-scroll lv-hook="ScrollBottom" class="h-[60vh] overflow-y-auto">
                    <ul id="messages" lv-stream="messages" lv-viewport-top=more class="py-2">
                        {messages}
                    </ul>
                </div>
                <Form id="post" submit="post" change="typing" class="border-t border-slate-200 p-3" attr:lv-hook="ChatForm" attr:lv-drop-target=UPLOAD>
                    <div class="flex gap-2">
                        <label for="attach" title="Attach images (or drop them here)" class="cursor-pointer rounded-lg border border-slate-300 px-3 py-2 text-slate-600 hover:bg-slate-100">"+"<span class="sr-only">"Attach images"</span></label>
                        <LiveFileInput upload=images id="attach" class="sr-only" />
                        <textarea name="body" rows="1" lv-throttle="1500" placeholder=placeholder class="min-w-0 flex-1 resize-none rounded-lg border border-slate-300 px-3 py-2"></textarea>
                        <Button id="send" submit=true>"Send"</Button>
                    </div>
                    <ul id="picked" class="mt-2 grid gap-2 empty:hidden sm:grid-cols-3">{picked}</ul>
                    <p id="upload-error" class="text-sm text-red-600 empty:hidden">{images_error}</p>
                    <p id="post-error" class="min-h-5 pt-1 text-sm text-red-600">{error}</p>
                    <p id="typing" class="min-h-5 text-xs italic text-slate-500">{typing_line}</p>
                </Form>
            </section>
            <aside class="w-full space-y-3 md:w-56">
                <Tabs tabs=tabs push=true />
                {(inside.tab == Tab::Online).then(|| view! { <ul id="online" class=ONLINE_CLASS>{online}</ul> })}
                {members}
            </aside>
        </div>
    }
}

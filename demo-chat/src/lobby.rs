//! `/`: the rooms, and a form to make one.

use leptos::prelude::*;
use leptos_live::{Ctx, FlashKind, LiveError, LiveView, Params, Session};
use leptos_live_components::{Badge, Button, Checkbox, Form, Input, Link, Tone};
use serde::Deserialize;

use crate::shell;
use crate::sidebar::Rooms;

/// The lobby page.
pub struct Lobby {
    rooms: Rooms,
    error: Option<String>,
}

/// What the lobby's form sends.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LobbyEvent {
    /// Make a room.
    Create {
        /// Its name.
        #[serde(default)]
        name: String,
        /// Members only (the checkbox sends `true` when ticked, nothing otherwise).
        #[serde(default)]
        private: bool,
    },
}

/// Checks a room name: 1 to 32 lower-case letters, digits or `-`.
pub fn valid_room(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("Give the room a name.");
    }
    if name.len() > 32 {
        return Err("Room names are at most 32 characters.");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err("Use lower-case letters, digits and - only.");
    }
    Ok(())
}

/// The PubSub topic that tells lobbies a room was made.
pub const ROOMS_TOPIC: &str = "rooms";

/// A room was made (private rooms are shown only to their members, checked on reload).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RoomMade;

impl LiveView for Lobby {
    type Message = RoomMade;
    type Event = LobbyEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Lobby {
            rooms: Rooms::follow(ctx).await?,
            error: None,
        })
    }

    async fn handle_event(
        &mut self,
        event: LobbyEvent,
        ctx: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        match event {
            LobbyEvent::Create { name, private } => {
                let name = name.trim().to_lowercase();
                if let Err(e) = valid_room(&name) {
                    self.error = Some(e.to_string());
                    return Ok(());
                }
                if !self
                    .rooms
                    .app
                    .db
                    .create_room(&name, private, &self.rooms.nick)
                    .await
                    .map_err(LiveError::msg)?
                {
                    self.error = Some(format!("A room called {name} exists already."));
                    return Ok(());
                }
                self.error = None;
                ctx.broadcast(ROOMS_TOPIC, RoomMade)
                    .map_err(LiveError::msg)?;
                ctx.put_flash(FlashKind::Info, format!("Room #{name} created."));
                ctx.push_navigate(format!("/rooms/{name}"));
            }
        }
        Ok(())
    }

    async fn handle_info(&mut self, _: RoomMade, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.rooms.reload().await
    }

    fn title(&self) -> String {
        "Rooms · leptos-live chat".into()
    }

    fn render(&self) -> impl IntoView {
        let rooms = self
            .rooms
            .list
            .iter()
            .map(|r| {
                let (href, name, private) = (format!("/rooms/{}", r.name), r.name.clone(), r.private);
                view! {
                    <li>
                        <Link to=href class="flex items-center justify-between rounded-lg px-3 py-2 hover:bg-indigo-50">
                            <span class="font-medium text-slate-800">"#" {name}</span>
                            {private.then(|| view! { <Badge tone=Tone::Yellow>"private"</Badge> })}
                        </Link>
                    </li>
                }
            })
            .collect_view();
        let error = self.error.clone().map(
            |e| view! { <p id="room-error" role="alert" class="text-sm text-rose-600">{e}</p> },
        );
        let body = view! {
            <ul id="rooms" class="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">{rooms}</ul>
            <Form id="create-room" submit="create" class="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
                <h2 class="font-semibold text-slate-800">"New room"</h2>
                <div class="flex flex-col gap-3 sm:flex-row sm:items-end">
                    <div class="flex-1">
                        <Input name="name" label="Name" placeholder="room-name" />
                    </div>
                    <div class="sm:pb-2">
                        <Checkbox name="private" label="Private" />
                    </div>
                    <Button submit=true>"Create"</Button>
                </div>
                {error}
            </Form>
        }
        .into_any();
        shell("Rooms", body)
    }
}

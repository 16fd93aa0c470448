//! The sidebar's list of rooms: a live part of the chat's layout. It stays, with its socket,
//! while the user moves between rooms, and shows a room someone else makes at once.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
use leptos_live_components::Link;

use crate::db::Room;
use crate::lobby::{ROOMS_TOPIC, RoomMade};
use crate::shared::Lists;
use crate::{App, Nick};

/// The lists of rooms pages show: users who may enter the same rooms hold the same one.
static LISTS: Lists<Room> = Lists::new();

/// The rooms a user may enter, for the pages that list them, read again whenever a room is made.
pub struct Rooms {
    /// The app, for its database.
    pub app: App,
    /// The user.
    pub nick: String,
    /// Their rooms, as last read (shared with the pages that show the same).
    pub list: Arc<[Room]>,
}

impl Rooms {
    /// The signed-in user's rooms, with the page subscribed to news of rooms made
    /// ([`RoomMade`], for its `handle_info` to call [`Rooms::reload`]).
    pub async fn follow<V: LiveView<Message = RoomMade>>(
        ctx: &mut Ctx<V>,
    ) -> Result<Rooms, LiveError> {
        let app = ctx.extension::<App>()?.clone();
        let nick = ctx.assigned::<Nick>()?.0.clone();
        ctx.subscribe::<RoomMade>(ROOMS_TOPIC);
        let list = LISTS.share(app.db.rooms_for(&nick).await.map_err(LiveError::msg)?);
        Ok(Rooms { app, nick, list })
    }

    /// Reads the user's rooms again.
    pub async fn reload(&mut self) -> Result<(), LiveError> {
        self.list = LISTS.share(
            self.app
                .db
                .rooms_for(&self.nick)
                .await
                .map_err(LiveError::msg)?,
        );
        Ok(())
    }
}

/// The sidebar's list of the rooms the user may enter.
pub struct RoomList(Rooms);

impl LiveView for RoomList {
    type Message = RoomMade;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Rooms::follow(ctx).await.map(RoomList)
    }

    async fn handle_info(&mut self, _: RoomMade, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.0.reload().await
    }

    fn render(&self) -> impl IntoView {
        let rooms = self
            .0
            .list
            .iter()
            .map(|r| {
                let (name, private) = (r.name.clone(), r.private);
                let href = format!("/rooms/{name}");
                view! {
                    <li>
                        <Link to=href class="flex items-center justify-between rounded-lg px-3 py-1.5 text-slate-700 hover:bg-indigo-50 aria-[current]:bg-indigo-100 aria-[current]:font-semibold">
                            <span>"#" {name}</span>
                            {private.then(|| view! { <span class="text-xs text-amber-700">"private"</span> })}
                        </Link>
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="room-links" class="space-y-0.5 text-sm">{rooms}</ul> }
    }
}

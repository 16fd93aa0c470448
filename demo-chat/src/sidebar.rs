//! The sidebar's list of rooms: a live part of the chat's layout. It stays, with its socket,
//! while the user moves between rooms, and shows a room someone else makes at once.

use leptos::prelude::*;
use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
use leptos_live_components::Link;

use crate::db::Room;
use crate::lobby::{ROOMS_TOPIC, RoomMade};
use crate::{App, Nick};

/// The rooms the user may enter.
pub struct RoomList {
    app: App,
    nick: String,
    rooms: Vec<Room>,
}

impl LiveView for RoomList {
    type Message = RoomMade;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let app = ctx.extension::<App>()?.clone();
        let nick = ctx.assigned::<Nick>()?.0.clone();
        ctx.subscribe::<RoomMade>(ROOMS_TOPIC);
        let rooms = app.db.rooms_for(&nick).await.map_err(LiveError::msg)?;
        Ok(RoomList { app, nick, rooms })
    }

    async fn handle_info(&mut self, _: RoomMade, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.rooms = self
            .app
            .db
            .rooms_for(&self.nick)
            .await
            .map_err(LiveError::msg)?;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let rooms = self
            .rooms
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

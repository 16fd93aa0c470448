//! Presence entries tracked by pages live as long as the page keeps their handle.

use std::sync::OnceLock;

use leptos::prelude::*;
use leptos_live::presence::Tracked;
use leptos_live::testing::LiveTest;
use leptos_live::{Ctx, LiveError, LiveView, Params, Presence, PubSub, RawEvent, Session};

fn presence() -> &'static Presence<u32> {
    static PRESENCE: OnceLock<Presence<u32>> = OnceLock::new();
    PRESENCE.get_or_init(|| Presence::new(&PubSub::local()))
}

/// A page in one room at a time, switched by an event, without a page of its own per room.
struct Lounge {
    here: Option<(String, Tracked<u32>)>,
}

impl LiveView for Lounge {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Lounge { here: None })
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, payload) = (raw.name.as_str(), raw.payload);
        match event {
            "enter" => {
                let room = payload.get_str("room").unwrap_or("hall").to_string();
                let me = ctx.track(presence(), &room, "ada", 0);
                // The handle of the room before is dropped here.
                self.here = Some((room, me));
            }
            "leave" => self.here = None,
            _ => {}
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let room = self.here.as_ref().map(|(r, _)| r.clone());
        view! { <p>{room}</p> }
    }
}

fn keys(topic: &str) -> Vec<String> {
    presence().list(topic).into_iter().map(|e| e.key).collect()
}

#[tokio::test]
async fn a_dropped_handle_takes_the_entry_out_while_the_page_lives() {
    let mut page = LiveTest::<Lounge>::mount(Params::default(), Session::default())
        .await
        .expect("mount");
    page.event("enter", serde_json::json!({ "room": "red" }))
        .await
        .expect("enter red");
    assert_eq!(keys("red"), ["ada"]);
    page.event("enter", serde_json::json!({ "room": "blue" }))
        .await
        .expect("enter blue");
    assert_eq!(keys("blue"), ["ada"]);
    assert!(keys("red").is_empty(), "still present in the room left");
    page.event("leave", serde_json::json!({}))
        .await
        .expect("leave");
    assert!(keys("blue").is_empty());
    // The page lives on, and can track again.
    page.event("enter", serde_json::json!({ "room": "red" }))
        .await
        .expect("enter red again");
    assert_eq!(keys("red"), ["ada"]);
    drop(page);
    assert!(keys("red").is_empty());
}

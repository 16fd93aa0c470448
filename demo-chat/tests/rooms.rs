//! The chat's rules, driven in-process through `LiveTest`: private rooms, checks on every event,
//! validation, HTML shown as text, and the stream the server does not keep.

use demo_chat::{App, ChatConfig, Lobby, RoomPage};
use leptos_live::testing::{LiveTest, MountError};
use leptos_live::{FlashKind, Params, PubSub, Session};
use serde_json::json;

fn session(nick: &str) -> Session {
    let mut s = Session::default();
    s.insert("nick", nick);
    s
}

async fn open() -> (App, leptos_live::LiveRouter, std::path::PathBuf) {
    // Tests run at once: each gets a file of its own, even within one millisecond.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "chat-rooms-{}-{}-{}.db",
        std::process::id(),
        demo_chat::now_ms(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let config = ChatConfig {
        database_url: format!("sqlite://{}", path.display()),
        presence_heartbeat: std::time::Duration::from_secs(5),
        attachments_dir: Some(path.with_extension("attachments")),
        admin: None,
    };
    let pubsub = PubSub::local();
    let (app, secret) = App::open(&config, &pubsub).await.expect("open the chat");
    let router = app.live_router(pubsub, &secret);
    (app, router, path)
}

#[tokio::test]
async fn private_rooms_admit_members_only_and_every_event_is_checked() {
    let (app, router, path) = open().await;
    assert!(app.db.create_room("den", true, "ada").await.unwrap());
    let den = Params::from_pairs([("name", "den")]);

    // A private room someone may not enter sends them to the lobby with an error flash.
    match LiveTest::<RoomPage>::mount_in(&router, den.clone(), session("bob")).await {
        Err(MountError::Redirected { to, flash }) => {
            assert_eq!(to, "/");
            assert!(
                flash
                    .get(FlashKind::Error)
                    .is_some_and(|m| m.contains("members only")),
                "{flash:?}"
            );
        }
        Ok(page) => panic!("bob entered: {}", page.html()),
        Err(e) => panic!("{e}"),
    }
    // Without a nickname, the live session's check sends people to the nickname form.
    match LiveTest::<RoomPage>::mount_in(&router, den.clone(), Session::default()).await {
        Err(MountError::Redirected { to, .. }) => assert!(to.starts_with("/nick?"), "{to}"),
        _ => panic!("a page mounted without a nickname"),
    }

    // Ada owns the room: its members tab has the forms that invite and remove.
    let mut ada = LiveTest::<RoomPage>::get(&router, "/rooms/den", session("ada"))
        .await
        .unwrap();
    ada.click("#tab-members").await.unwrap();
    assert_eq!(ada.url(), "/rooms/den?tab=members");
    ada.submit("#invite", json!({ "nick": "bob" }))
        .await
        .unwrap();
    assert_eq!(ada.text("#notice").as_deref(), Some("bob may now enter."));
    let mut bob = LiveTest::<RoomPage>::get(&router, "/rooms/den", session("bob"))
        .await
        .unwrap();
    assert!(bob.has("#messages"));
    bob.submit("#post", json!({ "body": "hello" }))
        .await
        .unwrap();

    // Only the owner manages members: Bob's tab has no forms, and an event sent anyway (as a
    // hostile client would) is checked on the server.
    bob.click("#tab-members").await.unwrap();
    assert!(bob.has_text("#members", "ada") && !bob.has("#remove"));
    let err = bob
        .event_to("members", "remove", json!({ "nick": "ada" }))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("owner"), "{err}");

    ada.submit("#remove", json!({ "nick": "bob" }))
        .await
        .unwrap();
    assert_eq!(
        ada.text("#notice").as_deref(),
        Some("bob may no longer enter.")
    );
    // Bob's page was mounted while he was a member; his next event is checked again.
    let err = bob
        .submit("#post", json!({ "body": "still here?" }))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("members only"), "{err}");
    assert!(bob.has("#denied"));
    let err = bob.event("older", json!({})).await.unwrap_err();
    assert!(err.to_string().contains("not in this room"), "{err}");
    let history = app.db.history("den", None, 50).await.unwrap();
    assert_eq!(
        history.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["hello"]
    );
    demo_chat::remove_database(&path);
}

#[tokio::test]
async fn bodies_are_validated_and_html_in_them_is_text() {
    let (app, router, path) = open().await;
    let lobby = Params::from_pairs([("name", "lobby")]);
    let mut ada = LiveTest::<RoomPage>::mount_in(&router, lobby.clone(), session("ada"))
        .await
        .unwrap();
    ada.submit("#post", json!({ "body": "   " })).await.unwrap();
    assert_eq!(
        ada.text("#post-error").as_deref(),
        Some("Write something first.")
    );
    ada.submit(
        "#post",
        json!({ "body": "x".repeat(demo_chat::MAX_BODY + 1) }),
    )
    .await
    .unwrap();
    assert_eq!(
        ada.text("#post-error").as_deref(),
        Some("Messages are at most 2000 characters.")
    );
    assert!(app.db.history("lobby", None, 50).await.unwrap().is_empty());

    ada.submit(
        "#post",
        json!({ "body": "<b>bold</b> & <script>alert(1)</script>" }),
    )
    .await
    .unwrap();
    assert_eq!(
        ada.text("#post-error").as_deref(),
        Some(""),
        "the error clears"
    );
    // The page hears its own broadcast and streams the message.
    ada.drain_info().await.unwrap();
    let ops = ada.take_stream_ops();
    let text = serde_json::to_string(&ops).unwrap();
    assert!(
        text.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"),
        "{text}"
    );
    assert!(!text.contains("<b>"), "{text}");
    // The browser shows it, as text; the server keeps nothing of it past the render that sent it.
    ada.event("typing", json!({ "body": "" })).await.unwrap();
    assert_eq!(
        ada.text("#messages li p").as_deref(),
        Some("<b>bold</b> & <script>alert(1)</script>")
    );
    assert!(
        !ada.server_html().contains(r#"id="m-"#),
        "{}",
        ada.server_html()
    );
    demo_chat::remove_database(&path);
}

#[tokio::test]
async fn the_last_page_comes_on_entry_and_older_ones_on_scroll() {
    let (app, router, path) = open().await;
    for i in 0..120 {
        app.db.post("lobby", "ada", &format!("m{i}")).await.unwrap();
    }
    let lobby = Params::from_pairs([("name", "lobby")]);
    let mut page = LiveTest::<RoomPage>::mount_in(&router, lobby, session("bob"))
        .await
        .unwrap();
    // The first render carried the last 50; what stays on the server is an empty container.
    assert!(page.html().contains(r#"lv-viewport-top="older""#));
    page.event("older", json!({})).await.unwrap();
    let ops = page.take_stream_ops();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0][1], "i");
    assert_eq!(ops[0][2], 0, "older messages go to the start");
    let items = ops[0][4].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert!(
        items[0][1].as_str().unwrap().contains(">m20<"),
        "{}",
        items[0][1]
    );
    page.event("older", json!({})).await.unwrap();
    let ops = page.take_stream_ops();
    assert_eq!(ops[0][4].as_array().unwrap().len(), 20);
    assert!(!page.html().contains("lv-viewport-top"), "no more to load");
    demo_chat::remove_database(&path);
}

#[tokio::test]
async fn creating_a_room_navigates_to_it_with_a_flash() {
    let (_app, router, path) = open().await;
    let mut lobby = LiveTest::<Lobby>::get(&router, "/", session("ada"))
        .await
        .unwrap();
    lobby
        .submit("#create-room", json!({ "name": "Not a name!" }))
        .await
        .unwrap();
    assert!(lobby.has("#room-error") && lobby.navigated().is_none());
    lobby
        .submit("#create-room", json!({ "name": "garden", "private": "on" }))
        .await
        .unwrap();
    let mut garden = lobby.follow::<RoomPage>(&router).await.unwrap();
    assert_eq!(garden.url(), "/rooms/garden");
    assert_eq!(garden.text("#heading").as_deref(), Some("#garden"));
    assert!(garden.has_text("#flash-group", "Room #garden created."));
    // The flash's close button clears it.
    garden.click("#flash-info button").await.unwrap();
    assert!(!garden.has_text("#flash-group", "created"));
    // The room is private: its members tab lists the owner.
    garden.click("#tab-members").await.unwrap();
    assert_eq!(garden.texts("#members li"), ["ada"]);
    demo_chat::remove_database(&path);
}

//! Uploads over the wire, from a client that does what it likes: each rule the browser checks
//! is checked again by the server, every bad chunk gets a typed answer, and no temporary file
//! outlives its entry or its page. Nothing lands in the app's directory but what it consumed.

use std::path::Path;
use std::time::Duration;

use leptos_live::LiveConfig;
use leptos_live_tests::uploads::{TempDir, app, chunk_frame, files_in, fresh_dir};
use leptos_live_tests::{TestServer, WsClient, json, within};
use serde_json::Value;

struct Setup {
    server: TestServer,
    temp: TempDir,
    saved: TempDir,
}

async fn setup(config: LiveConfig) -> Setup {
    let temp = fresh_dir("uploads");
    let saved = fresh_dir("saved");
    let server = TestServer::start(app(config, &temp, &saved)).await;
    Setup {
        server,
        temp,
        saved,
    }
}

/// Announces `files` as frame `r` and returns the entry ids the reply gives, and its frame.
async fn pick(ws: &mut WsClient, r: u64, files: Value) -> (Vec<u64>, String) {
    ws.send(&format!(r#"[{r},"u","files",{files}]"#)).await;
    let frame = ws.reply(r).await;
    let v = json(&frame);
    let ids = v[2]["reply"]
        .as_array()
        .unwrap_or_else(|| panic!("a reply with ids: {frame}"))
        .iter()
        .map(|i| i.as_u64().unwrap_or(0))
        .collect();
    (ids, frame)
}

/// The next upload frame (`uk` or `uf`) for entry `id`, skipping patches.
async fn upload_frame(ws: &mut WsClient, id: u64) -> Value {
    loop {
        let f = ws.recv().await.expect("socket open");
        let v = json(&f);
        if (v[1] == "uk" || v[1] == "uf") && v[2] == id {
            return v;
        }
    }
}

/// Waits until `dir` holds no file.
async fn empties(dir: &Path) {
    within(5, "temporary files removed", async {
        while !files_in(dir).is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn the_server_checks_type_size_and_count_again() {
    let s = setup(LiveConfig::default()).await;
    let (mut ws, _) = WsClient::open_page(s.server.addr, "/?max=1000").await;
    let (ids, frame) = pick(
        &mut ws,
        2,
        serde_json::json!([
            ["a.txt", 10, "text/plain"],
            ["b.exe", 10, "application/x-msdownload"],
            ["c.txt", 5000, "text/plain"]
        ]),
    )
    .await;
    // Two entries at most: a.txt is taken, b.exe is refused for its type and takes the second
    // place; c.txt is one too many.
    assert_eq!(ids.len(), 3, "{frame}");
    assert!(ids[0] > 0, "{frame}");
    assert_eq!(&ids[1..], [0, 0], "{frame}");
    assert!(frame.contains("not_accepted"), "{frame}");
    assert!(frame.contains("too_many_files"), "{frame}");

    // A new pick drops the refused entry: one place is free, for a file too large.
    let (ids, frame) = pick(
        &mut ws,
        3,
        serde_json::json!([["big.txt", 1001, "text/plain"]]),
    )
    .await;
    assert_eq!(ids, [0], "{frame}");
    assert!(frame.contains("too_large"), "{frame}");

    // Files for an upload the page never allowed.
    ws.send(r#"[4,"u","other",[["a.txt",1,"text/plain"]]]"#)
        .await;
    let reply = ws.reply(4).await;
    assert!(reply.contains(r#""err","unknown_upload""#), "{reply}");
    assert!(files_in(&s.saved).is_empty());
}

#[tokio::test]
async fn chunks_are_written_acknowledged_and_consumed() {
    let s = setup(LiveConfig::default()).await;
    let (mut ws, _) = WsClient::open_page(s.server.addr, "/").await;
    let body: Vec<u8> = (0..150_000u32).map(|i| (i % 251) as u8).collect();
    let (ids, _) = pick(
        &mut ws,
        2,
        serde_json::json!([["data.bin", body.len(), "application/octet-stream"]]),
    )
    .await;
    let id = ids[0];
    assert!(id > 0);
    let mut at = 0;
    for part in body.chunks(64 * 1024) {
        ws.send_binary(chunk_frame(id as u32, at, part)).await;
        at += part.len() as u64;
        let ack = upload_frame(&mut ws, id).await;
        assert_eq!(ack, serde_json::json!([0, "uk", id, at]));
    }
    // Sent again (as after a reconnect): answered with how far the entry is.
    ws.send_binary(chunk_frame(id as u32, 0, &body[..64 * 1024]))
        .await;
    assert_eq!(
        upload_frame(&mut ws, id).await,
        serde_json::json!([0, "uk", id, at])
    );
    assert_eq!(files_in(&s.temp).len(), 1, "one temporary file");
    ws.send(r#"[3,"e","save"]"#).await;
    let reply = ws.reply(3).await;
    assert!(reply.contains("data.bin"), "{reply}");
    let saved = files_in(&s.saved);
    assert_eq!(saved, [format!("{id}-data.bin")]);
    let stored = std::fs::read(s.saved.join(&saved[0])).expect("saved file");
    assert!(stored == body, "the bytes arrive as sent");
    empties(&s.temp).await;
}

#[tokio::test]
async fn bad_chunks_get_typed_answers_and_leave_no_file() {
    let s = setup(LiveConfig::default()).await;
    let (mut ws, _) = WsClient::open_page(s.server.addr, "/").await;

    // A chunk for an entry that does not exist.
    ws.send_binary(chunk_frame(999, 0, b"hello")).await;
    assert_eq!(
        upload_frame(&mut ws, 999).await,
        serde_json::json!([0, "uf", 999, "unknown_entry"])
    );
    // A binary frame that is no chunk.
    ws.send_binary(vec![7, 1, 2]).await;
    let refused = ws.reply(0).await;
    assert!(refused.contains("bad_frame"), "{refused}");

    // More bytes than declared.
    let (ids, _) = pick(&mut ws, 2, serde_json::json!([["a.txt", 10, "text/plain"]])).await;
    let id = ids[0];
    ws.send_binary(chunk_frame(id as u32, 0, b"12345")).await;
    assert_eq!(upload_frame(&mut ws, id).await[1], "uk");
    ws.send_binary(chunk_frame(id as u32, 5, b"6789012345"))
        .await;
    assert_eq!(
        upload_frame(&mut ws, id).await,
        serde_json::json!([0, "uf", id, "too_many_bytes"])
    );
    empties(&s.temp).await;

    // A chunk out of order.
    let (ids, _) = pick(&mut ws, 3, serde_json::json!([["b.txt", 10, "text/plain"]])).await;
    let id = ids[0];
    ws.send_binary(chunk_frame(id as u32, 4, b"12345")).await;
    assert_eq!(
        upload_frame(&mut ws, id).await,
        serde_json::json!([0, "uf", id, "bad_chunk"])
    );
    empties(&s.temp).await;

    ws.send(r#"[4,"e","save"]"#).await;
    ws.reply(4).await;
    assert!(files_in(&s.saved).is_empty(), "nothing failed is saved");
}

#[tokio::test]
async fn a_client_that_stops_midway_fails_its_entry() {
    let s = setup(LiveConfig::default()).await;
    let (mut ws, _) = WsClient::open_page(s.server.addr, "/?stall=200").await;
    let (ids, _) = pick(&mut ws, 2, serde_json::json!([["a.txt", 10, "text/plain"]])).await;
    let id = ids[0];
    ws.send_binary(chunk_frame(id as u32, 0, b"12345")).await;
    assert_eq!(upload_frame(&mut ws, id).await[1], "uk");
    assert_eq!(files_in(&s.temp).len(), 1);
    assert_eq!(
        upload_frame(&mut ws, id).await,
        serde_json::json!([0, "uf", id, "stalled"])
    );
    empties(&s.temp).await;
}

#[tokio::test]
async fn cancelling_or_leaving_removes_the_temporary_file() {
    let config = LiveConfig::default().with_retention_window(Duration::from_millis(200));
    let s = setup(config).await;
    let (mut ws, _) = WsClient::open_page(s.server.addr, "/").await;
    let (ids, _) = pick(&mut ws, 2, serde_json::json!([["a.txt", 10, "text/plain"]])).await;
    let id = ids[0];
    ws.send_binary(chunk_frame(id as u32, 0, b"12345")).await;
    assert_eq!(upload_frame(&mut ws, id).await[1], "uk");
    ws.send(&format!(r#"[3,"e","cancel",{{"id":"{id}"}}]"#))
        .await;
    assert_eq!(
        upload_frame(&mut ws, id).await,
        serde_json::json!([0, "uf", id, "cancelled"])
    );
    empties(&s.temp).await;

    // The engine's own cancel event, as a cancel button without a handler sends it.
    let (ids, _) = pick(&mut ws, 4, serde_json::json!([["b.txt", 10, "text/plain"]])).await;
    let id = ids[0];
    assert_eq!(files_in(&s.temp).len(), 1);
    ws.send(&format!(r#"[5,"e","lv:cancel-upload",{{"ref":{id}}}]"#))
        .await;
    assert_eq!(
        upload_frame(&mut ws, id).await,
        serde_json::json!([0, "uf", id, "cancelled"])
    );
    empties(&s.temp).await;

    // Half an upload, then the socket goes and does not come back: the page ends, and its
    // files with it.
    let (ids, _) = pick(&mut ws, 6, serde_json::json!([["c.txt", 10, "text/plain"]])).await;
    ws.send_binary(chunk_frame(ids[0] as u32, 0, b"12345"))
        .await;
    assert_eq!(upload_frame(&mut ws, ids[0]).await[1], "uk");
    assert_eq!(files_in(&s.temp).len(), 1);
    ws.close().await;
    empties(&s.temp).await;
    assert!(files_in(&s.saved).is_empty());
}

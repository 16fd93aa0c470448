//! Image attachments: in Chromium, one person attaches a real PNG and another sees it load, a
//! text file named like a PNG is refused, and the image is still there after a restart; over
//! HTTP, an attachment is served only to people who may see its room, and survives a reopen of
//! the database.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{ChatProcess, enter, remove_db, temp_db};
use demo_chat::{App, ChatConfig};
use leptos_live::PubSub;
use leptos_live_tests::browser::Browser;
use leptos_live_tests::uploads::{PNG, files_in};
use leptos_live_tests::within;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// JS: whether the messages show an image that loaded.
const IMAGE_SHOWN: &str = "[...document.querySelectorAll('#messages li img')].some(i => i.complete && i.naturalWidth > 0)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picked_png_reaches_the_room_and_a_fake_one_is_refused() {
    let db = temp_db("images");
    let dir = db.parent().expect("the test's directory").to_path_buf();
    let png = dir.join("dot.png");
    std::fs::write(&png, PNG).expect("write the png");
    // Declared image/png by its name; its bytes are text.
    let fake = dir.join("fake.png");
    std::fs::write(&fake, b"<svg onload=alert(1)> not a picture").expect("write the fake");
    let store = dir.join("attachments");

    let server = ChatProcess::start(&db, None, None).await;
    let room = server.url("/rooms/lobby");
    let mut browser = Browser::launch().await;
    let ada = enter(&mut browser, &room, "ada").await;
    let bob = enter(&mut browser, &room, "bob").await;

    // Picked: the preview shows the file from memory (a blob: URL the CSP allows), unsent.
    let mut page = browser.page(&ada);
    page.set_files("#attach", &[&png]).await;
    page.wait_for("document.querySelector('#picked img[lv-preview]')?.naturalWidth === 1")
        .await;
    assert!(files_in(&store).iter().all(|n| n.starts_with('.')));
    // Sent with no text: a message of images only.
    page.click("#send").await;
    page.wait_for("document.querySelectorAll('#picked li').length === 0")
        .await;
    page.wait_for(IMAGE_SHOWN).await;
    drop(page);

    // The other person sees it, loaded from the server.
    let mut page = browser.page(&bob);
    page.wait_for(IMAGE_SHOWN).await;
    let src = page
        .eval("document.querySelector('#messages li img').getAttribute('src')")
        .await;
    let src = src.as_str().expect("an image source").to_string();
    assert!(src.starts_with("/rooms/lobby/files/"), "{src}");
    let fetched = page
        .eval(&format!(
            "fetch({}).then(r => [r.status, r.headers.get('content-type'), r.headers.get('x-content-type-options')].join())",
            serde_json::json!(src)
        ))
        .await;
    assert_eq!(fetched, "200,image/png,nosniff");
    drop(page);
    let id = src.rsplit('/').next().unwrap_or_default().to_string();
    assert_eq!(std::fs::read(store.join(&id)).ok().as_deref(), Some(PNG));

    // A file that says it is a PNG but is not one: refused by its bytes, nothing posted or kept.
    let mut page = browser.page(&ada);
    page.set_files("#attach", &[&fake]).await;
    page.wait_for("document.querySelector('#picked li')").await;
    page.click("#send").await;
    page.wait_for("document.getElementById('post-error').textContent.includes('fake.png')")
        .await;
    assert_eq!(
        page.eval("document.querySelectorAll('#messages li').length")
            .await,
        1
    );
    drop(page);
    within(10, "the refused upload's file removed", async {
        while !files_in(&store.join(".incoming")).is_empty() {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    })
    .await;
    let kept: Vec<String> = files_in(&store)
        .into_iter()
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(kept, [id], "only the real image is kept");

    // A restart: someone new sees the image with the history.
    let port = server.addr.port();
    server.kill().await;
    let server = ChatProcess::start(&db, Some(port), None).await;
    let carol = enter(&mut browser, &server.url("/rooms/lobby"), "carol").await;
    browser.page(&carol).wait_for(IMAGE_SHOWN).await;
    drop(browser);
    drop(server);
    remove_db(&db);
}

/// The chat in this process on a free port, with its database at `db`.
struct Served {
    app: App,
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(db: &Path) -> Served {
    let config = ChatConfig {
        database_url: format!("sqlite://{}", db.display()),
        presence_heartbeat: Duration::from_secs(5),
        attachments_dir: None,
        admin: None,
    };
    let pubsub = PubSub::local();
    let (app, secret) = App::open(&config, &pubsub).await.expect("open the chat");
    let router = app.router(pubsub, &secret);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().expect("its address");
    let task = tokio::spawn(async move {
        let _ = leptos_live::serve(listener, router).await;
    });
    Served { app, addr, task }
}

/// What a GET answered: its status, its header lines, its body.
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    /// The value of header `name`.
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// GETs `path` with the nickname cookie of `nick` (none when `None`).
async fn get(s: &Served, path: &str, nick: Option<&str>) -> Reply {
    let cookie = nick.map_or(String::new(), |n| {
        format!(
            "Cookie: {}={}\r\n",
            demo_chat::COOKIE_NAME,
            s.app.cookies.sign(n)
        )
    });
    get_raw(s.addr, path, &cookie).await
}

async fn get_raw(addr: SocketAddr, path: &str, headers: &str) -> Reply {
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n");
    conn.write_all(req.as_bytes()).await.expect("send");
    let mut buf = Vec::new();
    conn.read_to_end(&mut buf).await.expect("read");
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head,
        body: buf[split + 4..].to_vec(),
    }
}

/// Stores `bytes` as an image `author` posts in `room`, as the room page does; returns its id.
async fn attach(s: &Served, dir: &Path, room: &str, author: &str, bytes: &[u8]) -> i64 {
    let upload: PathBuf = dir.join(format!("upload-{}", demo_chat::now_ms()));
    std::fs::write(&upload, bytes).expect("write the upload");
    let staged = s
        .app
        .attachments
        .stage(&upload, "cat.png")
        .expect("an image");
    let message = s
        .app
        .attachments
        .post(&s.app.db, room, author, "", vec![staged])
        .await
        .expect("stored");
    assert_eq!(message.attachments.len(), 1);
    assert_eq!(message.attachments[0].content_type, "image/png");
    message.attachments[0].id
}

#[tokio::test]
async fn attachments_are_served_only_to_people_who_may_see_their_room() {
    let db = temp_db("files");
    let dir = db.parent().expect("the test's directory").to_path_buf();
    let s = serve(&db).await;
    assert!(
        s.app
            .db
            .create_room("vault", true, "ada")
            .await
            .expect("db")
    );
    let id = attach(&s, &dir, "vault", "ada", PNG).await;
    assert!(
        dir.join("attachments").join(id.to_string()).exists(),
        "kept beside the database"
    );
    let path = format!("/rooms/vault/files/{id}");

    let r = get(&s, &path, Some("ada")).await;
    assert_eq!(r.status, 200, "{}", r.head);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(
        r.header("cache-control")
            .is_some_and(|c| c.starts_with("private")),
        "{}",
        r.head
    );
    assert!(
        r.header("content-security-policy")
            .is_some_and(|c| c.contains("img-src 'self' blob:;")),
        "{}",
        r.head
    );
    assert!(r.body == PNG, "the bytes as stored");

    // Someone who may not see the room, no session, a forged one.
    assert_eq!(get(&s, &path, Some("bob")).await.status, 404);
    assert_eq!(get(&s, &path, None).await.status, 403);
    let forged = format!("Cookie: {}=eve.forged\r\n", demo_chat::COOKIE_NAME);
    assert_eq!(get_raw(s.addr, &path, &forged).await.status, 403);
    // Not in the room asked for, no such attachment, no such room.
    assert_eq!(
        get(&s, &format!("/rooms/lobby/files/{id}"), Some("ada"))
            .await
            .status,
        404
    );
    for other in [
        "/rooms/vault/files/999999",
        "/rooms/vault/files/x",
        "/rooms/none/files/1",
    ] {
        assert_eq!(get(&s, other, Some("ada")).await.status, 404, "{other}");
    }
    // A member now: served.
    s.app.db.add_member("vault", "bob").await.expect("db");
    assert_eq!(get(&s, &path, Some("bob")).await.status, 200);
    drop(s);
    remove_db(&db);
}

#[tokio::test]
async fn attachments_survive_a_restart() {
    let db = temp_db("reopen");
    let dir = db.parent().expect("the test's directory").to_path_buf();
    let s = serve(&db).await;
    let id = attach(&s, &dir, "lobby", "ada", PNG).await;
    let path = format!("/rooms/lobby/files/{id}");
    assert_eq!(get(&s, &path, Some("bob")).await.status, 200);
    drop(s);

    let s = serve(&db).await;
    let r = get(&s, &path, Some("bob")).await;
    assert_eq!(r.status, 200, "{}", r.head);
    assert!(r.body == PNG, "the bytes as stored");
    let history = s.app.db.history("lobby", None, 50).await.expect("db");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].attachments[0].id, id);
    // The room page shows it with the history.
    let page = get(&s, "/rooms/lobby", Some("bob")).await;
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains(&format!(r#"src="{path}""#)), "{html}");
    drop(s);
    remove_db(&db);
}

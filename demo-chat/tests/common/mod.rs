//! The chat as a real server process for browser tests: started on a free loopback port with
//! its own database file, stopped (killed) when dropped.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use leptos_live_tests::browser::{Browser, Tab};
use leptos_live_tests::{http_get, within};
use tokio::process::{Child, Command};

/// A fresh database path, `chat.db` in a directory of its own in the temp directory (the
/// chat keeps attachments in a directory beside it).
pub fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "chat-{name}-{}-{}",
        std::process::id(),
        demo_chat::now_ms()
    ));
    std::fs::create_dir_all(&dir).expect("a directory for the test's database");
    dir.join("chat.db")
}

/// Removes a database made by [`temp_db`]: its directory, with its side files and attachments.
pub fn remove_db(path: &Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A free loopback port (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The nickname the chat under test lets open its dashboard (`CHAT_ADMIN`).
pub const ADMIN: &str = "root";

/// A running `demo-chat` process.
pub struct ChatProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl ChatProcess {
    /// Starts the chat on `port` (a free one when `None`) with `db`, and `redis` as its
    /// PubSub when given; waits until it answers.
    pub async fn start(db: &Path, port: Option<u16>, redis: Option<&str>) -> ChatProcess {
        let port = port.unwrap_or_else(free_port);
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_demo-chat"));
        cmd.env("CHAT_DB", db)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("PRESENCE_HEARTBEAT_MS", "500")
            .env("RUST_LOG", "warn")
            .env("CHAT_ADMIN", ADMIN)
            .env_remove("DATABASE_URL")
            .env_remove("LEPTOS_LIVE_SECRET")
            .env_remove("REDIS_URL")
            .env_remove("CHAT_ATTACHMENTS")
            .env_remove("LEPTOS_LIVE_UPLOADS")
            .stdout(Stdio::null())
            .kill_on_drop(true);
        if let Some(url) = redis {
            cmd.env("REDIS_URL", url);
        }
        // The same tests against PostgreSQL: point this at an empty database.
        if let Ok(url) = std::env::var("CHAT_TEST_DATABASE_URL") {
            cmd.env("DATABASE_URL", url);
            if let Some(dir) = db.parent() {
                cmd.env("CHAT_ATTACHMENTS", dir.join("attachments"));
            }
        }
        let child = cmd.spawn().expect("start demo-chat");
        within(60, "the chat server to answer", async {
            loop {
                if let Ok(Ok((200, _))) =
                    tokio::time::timeout(Duration::from_secs(2), try_get(addr, "/chat.css")).await
                {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        ChatProcess { addr, child }
    }

    /// `http://addr` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Kills the process (as a crash or a restart would) and waits for it to go.
    pub async fn kill(mut self) {
        let _ = self.child.kill().await;
    }
}

async fn try_get(addr: SocketAddr, path: &str) -> Result<(u16, String), ()> {
    if tokio::net::TcpStream::connect(addr).await.is_err() {
        return Err(());
    }
    Ok(http_get(addr, path).await)
}

/// Opens `url` as a new person (a browser context of its own), picks `nick` in the nickname
/// form, and waits until the live page has joined.
pub async fn enter(browser: &mut Browser, url: &str, nick: &str) -> Tab {
    let tab = browser.open_tab(url, true).await;
    let mut page = browser.page(&tab);
    page.wait_for("document.getElementById('nick-form')").await;
    page.eval(&format!(
        "document.getElementById('nick').value = {}; document.getElementById('nick-form').submit()",
        serde_json::json!(nick)
    ))
    .await;
    page.wait_for("document.readyState === 'complete' && !document.getElementById('nick-form') && document.getElementById('lv-root')")
        .await;
    page.wait_connected().await;
    tab
}

/// Types `text` into the message field and sends it with the Send button.
pub async fn post(browser: &mut Browser, tab: &Tab, text: &str) {
    let mut page = browser.page(tab);
    page.eval("document.querySelector('#post textarea').focus()")
        .await;
    page.type_text(text).await;
    page.click("#post button").await;
}

/// JS: the nicknames in the presence list, joined with commas.
pub const ONLINE: &str =
    "[...document.querySelectorAll('#online [data-user]')].map(e => e.dataset.user).join()";

/// JS: whether a message with exactly `text` is shown.
pub fn shows(text: &str) -> String {
    format!(
        "[...document.querySelectorAll('#messages li p')].some(p => p.textContent === {})",
        serde_json::json!(text)
    )
}

/// Makes room `name` from the lobby page open in `page`, and waits until the page is that room's
/// (the lobby navigates there live).
pub async fn make_room(page: &mut leptos_live_tests::browser::Page<'_>, name: &str) {
    page.eval(&format!(
        "document.querySelector('#create-room input[name=name]').value = {}",
        serde_json::json!(name)
    ))
    .await;
    page.click("#create-room button").await;
    page.wait_for(&format!(
        "location.pathname === '/rooms/{name}' && document.getElementById('heading')?.textContent === '#{name}'"
    ))
    .await;
}

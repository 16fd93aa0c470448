//! A small Chrome DevTools Protocol client for headless Chromium: launch, open a page, evaluate
//! JavaScript, click and type with real input events.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::within;

/// A JavaScript function, `(html) => div`: `html` parsed as the content of a new `<div>` by
/// Chromium's full HTML parser (a range's contextual fragment), the one documents go through.
/// `innerHTML` may take a shortcut parser that builds another tree (it keeps a `<button>`
/// inside a `<button>`). The `<div>` stays out of the document, so no script runs.
pub const PARSE_IN_DIV: &str = r#"(html) => {
  const d = document.createElement("div");
  const r = document.createRange();
  r.selectNodeContents(d);
  d.append(r.createContextualFragment(html));
  return d;
}"#;

/// Where Chromium is: `CHROMIUM` in the environment, else Debian's `/usr/bin/chromium`.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// A headless Chromium with a fresh profile; killed and its profile removed when dropped.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// DevTools events received while waiting for answers, oldest first.
    events: Vec<Value>,
}

/// One tab, driven through its DevTools session.
pub struct Page<'b> {
    browser: &'b mut Browser,
    session: String,
}

impl Browser {
    /// Starts Chromium headless; panics with the install command when it is missing.
    pub async fn launch() -> Browser {
        let path = chromium_path();
        assert!(
            path.exists(),
            "{} not found: browser tests need Debian's chromium (`cargo xtask test` installs it)",
            path.display()
        );
        let profile = std::env::temp_dir().join(format!(
            "leptos-live-chromium-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        // Chromium's own temporary files (the singleton's socket directory, left behind by a
        // browser that is killed) go inside the profile, and are removed with it.
        let tmp = profile.join("tmp");
        let _ = std::fs::create_dir_all(&tmp);
        let mut child = Command::new(&path)
            .env("TMPDIR", &tmp)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromium");
        let stderr = child.stderr.take().expect("chromium stderr");
        let endpoint = within(30, "chromium's DevTools endpoint", async {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    // Keep draining stderr so that Chromium never blocks on a full pipe.
                    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                    return url.trim().to_string();
                }
            }
            panic!("chromium exited without a DevTools endpoint");
        })
        .await;
        let (ws, _) = tokio_tungstenite::connect_async(&endpoint)
            .await
            .expect("connect to DevTools");
        Browser {
            child,
            profile,
            ws,
            next_id: 0,
            events: Vec::new(),
        }
    }

    async fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        match self.try_call(session, method, params).await {
            Ok(result) => result,
            Err(err) => panic!("{method} failed: {err}"),
        }
    }

    /// Sends a DevTools command and waits for its answer: the result, or the error DevTools
    /// gave.
    async fn try_call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .await
            .expect("send to DevTools");
        within(30, method, async {
            loop {
                let Some(Ok(Message::Text(t))) = self.ws.next().await else {
                    panic!("DevTools connection closed during {method}");
                };
                let v: Value = serde_json::from_str(&t).expect("DevTools sends JSON");
                if v.get("method").is_some() {
                    self.events.push(v);
                    continue;
                }
                if v["id"].as_u64() == Some(id) {
                    return match v.get("error") {
                        Some(err) => Err(err.clone()),
                        None => Ok(v["result"].clone()),
                    };
                }
            }
        })
        .await
    }

    /// Opens `url` in a new tab and waits for it to load.
    pub async fn open(&mut self, url: &str) -> Page<'_> {
        let tab = self.open_tab(url, false).await;
        self.page(&tab)
    }

    /// Opens `url` in a new tab, in a browser context of its own (its own cookies and storage,
    /// like another person's browser) when `isolated`, and waits for it to load. Drive it with
    /// [`Browser::page`]; several tabs can be open at once.
    pub async fn open_tab(&mut self, url: &str, isolated: bool) -> Tab {
        let mut params = json!({ "url": "about:blank" });
        if isolated {
            let ctx = self
                .call(None, "Target.createBrowserContext", json!({}))
                .await;
            params["browserContextId"] = ctx["browserContextId"].clone();
        }
        let target = self.call(None, "Target.createTarget", params).await;
        let target_id = target["targetId"].as_str().expect("targetId").to_string();
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .await;
        let session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_string();
        let tab = Tab {
            session,
            target: target_id,
        };
        let mut page = self.page(&tab);
        page.cmd(
            "Emulation.setFocusEmulationEnabled",
            json!({ "enabled": true }),
        )
        .await;
        page.cmd("Page.navigate", json!({ "url": url })).await;
        page.wait_for("document.readyState === 'complete'").await;
        tab
    }

    /// Drives an open tab.
    pub fn page(&mut self, tab: &Tab) -> Page<'_> {
        Page {
            browser: self,
            session: tab.session.clone(),
        }
    }

    /// Closes a tab, as a user closing it would: its page unloads and its sockets close.
    pub async fn close_tab(&mut self, tab: Tab) {
        self.call(
            None,
            "Target.closeTarget",
            json!({ "targetId": tab.target }),
        )
        .await;
    }
}

/// An open tab, driven through [`Browser::page`].
pub struct Tab {
    session: String,
    target: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        // The browser writes to its profile until it is gone, and a directory removed while it
        // still writes comes back: wait for it (briefly), then remove what it left, again if
        // need be. (Left behind, the profiles of every run pile up in the temporary directory.)
        for _ in 0..40 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        for _ in 0..4 {
            let _ = std::fs::remove_dir_all(&self.profile);
            if !self.profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Whether a DevTools error says the page navigated away under the command (the document or
/// its JavaScript context was replaced), rather than that the command was wrong.
fn is_navigation_error(err: &Value) -> bool {
    err["message"].as_str().is_some_and(|m| {
        m.contains("Inspected target navigated or closed")
            || m.contains("Execution context was destroyed")
    })
}

impl Page<'_> {
    /// Sends a DevTools command to this tab.
    pub async fn cmd(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.browser.call(Some(&session), method, params).await
    }

    /// The DevTools events of this tab named `method` received so far (enable their domain
    /// first, e.g. `Network.enable`), and forgets them.
    pub fn take_events(&mut self, method: &str) -> Vec<Value> {
        let session = self.session.clone();
        let (mine, rest): (Vec<Value>, Vec<Value>) = std::mem::take(&mut self.browser.events)
            .into_iter()
            .partition(|e| e["method"] == method && e["sessionId"] == session.as_str());
        self.browser.events = rest;
        mine
    }

    /// Evaluates `js` (awaiting a promise) and returns its value.
    pub async fn eval(&mut self, js: &str) -> Value {
        match self.try_eval(js).await {
            Ok(v) => v,
            Err(err) => panic!("Runtime.evaluate failed: {err}"),
        }
    }

    /// Evaluates `js` (awaiting a promise): its value, or the error DevTools gave. A script that
    /// throws panics.
    async fn try_eval(&mut self, js: &str) -> Result<Value, Value> {
        let session = self.session.clone();
        let r = self
            .browser
            .try_call(
                Some(&session),
                "Runtime.evaluate",
                json!({ "expression": js, "returnByValue": true, "awaitPromise": true }),
            )
            .await?;
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("{js} threw: {ex}");
        }
        Ok(r["result"]["value"].clone())
    }

    /// Waits up to 10 s for `js` to be truthy. A check that meets the page navigating (its
    /// document replaced while the check runs) counts as not yet; any other error panics.
    pub async fn wait_for(&mut self, js: &str) {
        self.wait_up_to(Duration::from_secs(10), js).await;
    }

    /// [`Page::wait_for`], waiting up to `limit` (a rebuild, say).
    pub async fn wait_up_to(&mut self, limit: Duration, js: &str) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let v = match self.try_eval(&format!("!!({js})")).await {
                Ok(v) => v,
                Err(err) if is_navigation_error(&err) => Value::Null,
                Err(err) => panic!("Runtime.evaluate failed: {err}"),
            };
            if v == json!(true) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {js}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until the page has joined its socket (the root carries `lv-connected`).
    pub async fn wait_connected(&mut self) {
        self.wait_for("document.getElementById('lv-root')?.classList.contains('lv-connected')")
            .await;
    }

    /// Scrolls the element `selector` into view and clicks its centre with real mouse events.
    pub async fn click(&mut self, selector: &str) {
        let rect = self
            .eval(&format!(
                "(() => {{ const el = document.querySelector({sel}); el.scrollIntoView({{ block: 'center' }}); const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()",
                sel = json!(selector)
            ))
            .await;
        let (x, y) = (
            rect[0].as_f64().unwrap_or(0.0),
            rect[1].as_f64().unwrap_or(0.0),
        );
        for kind in ["mousePressed", "mouseReleased"] {
            self.cmd(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )
            .await;
        }
    }

    /// Loads `url` in this tab and waits for it.
    pub async fn goto(&mut self, url: &str) {
        self.cmd("Page.navigate", json!({ "url": url })).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.wait_for("document.readyState === 'complete'").await;
    }

    /// Sets the files of the file input `selector`, as a user picking them would (the input and
    /// change events fire).
    pub async fn set_files(&mut self, selector: &str, files: &[&std::path::Path]) {
        let doc = self.cmd("DOM.getDocument", json!({ "depth": 0 })).await;
        let root = doc["root"]["nodeId"].clone();
        let node = self
            .cmd(
                "DOM.querySelector",
                json!({ "nodeId": root, "selector": selector }),
            )
            .await;
        let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        self.cmd(
            "DOM.setFileInputFiles",
            json!({ "files": files, "nodeId": node["nodeId"] }),
        )
        .await;
    }

    /// Presses and releases `key` (`"Tab"`, `"Enter"`, `"Escape"`, …) as the keyboard does,
    /// with Shift held when `shift`: the browser's own default actions follow (focus moves,
    /// buttons activate).
    pub async fn press(&mut self, key: &str, shift: bool) {
        let (code, text) = match key {
            "Enter" => (13, Some("\r")),
            "Tab" => (9, None),
            "Escape" => (27, None),
            " " => (32, Some(" ")),
            _ => (0, None),
        };
        let modifiers = if shift { 8 } else { 0 };
        let mut down = json!({ "type": "rawKeyDown", "key": key, "code": key, "windowsVirtualKeyCode": code, "modifiers": modifiers });
        if let Some(text) = text {
            down["type"] = json!("keyDown");
            down["text"] = json!(text);
        }
        self.cmd("Input.dispatchKeyEvent", down).await;
        self.cmd(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code, "modifiers": modifiers }),
        )
        .await;
    }

    /// Clicks the page at (`x`, `y`) with real mouse events.
    pub async fn click_at(&mut self, x: f64, y: f64) {
        for kind in ["mousePressed", "mouseReleased"] {
            self.cmd(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )
            .await;
        }
    }

    /// Types `text` into the focused element, one character at a time.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.cmd("Input.insertText", json!({ "text": c.to_string() }))
                .await;
        }
    }
}

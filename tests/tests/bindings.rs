//! The shim's bindings in Chromium: keys, focus and blur, debounce and throttle, click-away,
//! lv-disable-with, lv-update="ignore", window events. A probe page logs every event it gets.

use std::time::Duration;

use leptos::prelude::*;
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::{TestServer, within};
use serde_json::json;

/// Renders the events it received, one `<li>` each: `name payload`.
struct Probe {
    log: Vec<String>,
    locked: String,
}

impl LiveView for Probe {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Probe {
            log: Vec::new(),
            locked: String::new(),
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, payload) = (raw.name.as_str(), raw.payload);
        if event == "slow" {
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        if event == "locked" {
            let v = payload.get_str("v").unwrap_or("").to_string();
            // The first change is answered after the user has left the field, the second much
            // later: the first reply must not roll the field back meanwhile.
            let ms = if v.len() > 1 { 600 } else { 200 };
            tokio::time::sleep(Duration::from_millis(ms)).await;
            self.locked = v;
        }
        let mut p = payload.value().clone();
        if let Some(o) = p.as_object_mut() {
            o.remove("_target");
        }
        self.log.push(format!("{event} {p}"));
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let log = self.log.clone();
        let count = self.log.len();
        view! {
            <ul id="log">{log.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            <input id="k" lv-keydown="key" lv-key="Enter"/>
            <input id="f" lv-focus="focused" lv-blur="blurred" value="v"/>
            <input id="d" name="q" lv-change="typed" lv-debounce="300"/>
            <input id="db" name="w" lv-change="blurtyped" lv-debounce="blur"/>
            <form><input id="own" name="o" lv-change="own"/><input name="other" value="x"/></form>
            <div lv-window-blur="wblur" lv-window-focus="wfocus"></div>
            <form id="lock" lv-change="locked"><input id="li" name="v" value=self.locked.clone()/></form>
            <button id="t" lv-click="thr" lv-throttle="500">"throttled"</button>
            <div id="away" lv-click-away="away">"inside"</div>
            <div lv-window-keydown="esc" lv-key="Escape"></div>
            <form id="s" lv-submit="slow"><button id="sb" lv-disable-with="Saving…">"Save"</button></form>
            <div id="ign" lv-update="ignore"><span id="ign-count">{count}</span></div>
            <p id="n">{count}</p>
        }
    }
}

/// The logged events, leaving out click-away (which every click outside its element fires).
async fn log(page: &mut Page<'_>) -> Vec<String> {
    let v = page
        .eval("[...document.querySelectorAll('#log li')].map(li => li.textContent)")
        .await;
    let all: Vec<String> = serde_json::from_value(v).unwrap_or_default();
    all.into_iter().filter(|e| !e.starts_with("away")).collect()
}

async fn count_of(page: &mut Page<'_>, name: &str) -> usize {
    let v = page
        .eval("[...document.querySelectorAll('#log li')].map(li => li.textContent)")
        .await;
    let all: Vec<String> = serde_json::from_value(v).unwrap_or_default();
    all.iter()
        .filter(|e| e.split(' ').next() == Some(name))
        .count()
}

async fn key(page: &mut Page<'_>, key: &str, code: &str, vk: u32) {
    for kind in ["keyDown", "keyUp"] {
        page.cmd(
            "Input.dispatchKeyEvent",
            json!({ "type": kind, "key": key, "code": code, "windowsVirtualKeyCode": vk }),
        )
        .await;
    }
}

#[tokio::test]
async fn bindings_behave_in_chromium() {
    within(90, "bindings", async {
        let config = LiveConfig::default().with_secret(b"bindings-test-secret-bindings-test".to_vec());
        let server = TestServer::start(LiveRouter::with_config(config).page::<Probe>("/").into_router()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;

        // lv-keydown with lv-key: only Enter counts.
        page.click("#k").await;
        key(&mut page, "a", "KeyA", 65).await;
        key(&mut page, "Enter", "Enter", 13).await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('key'))").await;
        assert_eq!(log(&mut page).await, vec![r#"key {"key":"Enter"}"#]);

        // lv-focus and lv-blur, with the field's value.
        page.click("#f").await;
        page.click("#n").await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('blurred'))").await;
        assert_eq!(log(&mut page).await[1..], [r#"focused {"value":"v"}"#, r#"blurred {"value":"v"}"#]);

        // lv-debounce: three quick keystrokes make one event, after the pause.
        page.click("#d").await;
        page.type_text("abc").await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        let l = log(&mut page).await;
        assert_eq!(l.iter().filter(|e| e.starts_with("typed")).collect::<Vec<_>>(), [r#"typed {"q":"abc"}"#]);

        // An input with its own lv-change sends itself alone, naming itself as the target.
        page.click("#own").await;
        page.type_text("z").await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('own'))").await;
        assert!(log(&mut page).await.contains(&r#"own {"o":"z"}"#.to_string()));

        // lv-debounce="blur": nothing while typing, one event on leaving the field.
        page.click("#db").await;
        page.type_text("xy").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(count_of(&mut page, "blurtyped").await, 0);
        page.click("#n").await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('blurtyped'))").await;
        assert_eq!(count_of(&mut page, "blurtyped").await, 1);

        // lv-window-blur / lv-window-focus.
        page.eval("window.dispatchEvent(new Event('blur')); window.dispatchEvent(new Event('focus'))").await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('wfocus'))").await;
        assert_eq!(count_of(&mut page, "wblur").await, 1);

        // In-flight lock: "a" is answered at once, "ab" late; leaving the field meanwhile must not
        // let the first reply roll the field back to "a".
        page.click("#li").await;
        page.type_text("ab").await;
        page.click("#n").await;
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert!(count_of(&mut page, "locked").await >= 1, "the first reply has arrived");
        assert_eq!(page.eval("document.getElementById('li').value").await, "ab");
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent === 'locked {\"v\":\"ab\"}')").await;
        assert_eq!(page.eval("document.getElementById('li').value").await, "ab");

        // Loading class on the source element while its event is in flight.
        page.eval("window.liveSocket.enableLatencySim(300)").await;
        page.click("#k").await;
        key(&mut page, "Enter", "Enter", 13).await;
        assert_eq!(page.eval("document.getElementById('k').classList.contains('lv-keydown-loading')").await, true);
        page.wait_for("!document.getElementById('k').classList.contains('lv-keydown-loading')").await;
        page.eval("window.liveSocket.enableLatencySim(0)").await;

        // lv-throttle: three quick clicks make one event now and one at the end of the interval.
        for _ in 0..3 {
            page.click("#t").await;
        }
        tokio::time::sleep(Duration::from_millis(900)).await;
        assert_eq!(count_of(&mut page, "thr").await, 2, "{:?}", log(&mut page).await);

        // lv-click-away: a click inside does not count, one outside does.
        let before = count_of(&mut page, "away").await;
        page.click("#away").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(count_of(&mut page, "away").await, before);
        page.click("#n").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(count_of(&mut page, "away").await, before + 1);
        // An element that gains lv-click-away after the page is shown (here from a script, not a
        // patch) hears clicks away from then on, and no more once it loses it. (The click inside
        // #away first, which sends nothing, has the shim find the bindings before the change.)
        page.click("#away").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        page.eval("document.getElementById('n').setAttribute('lv-click-away', 'away-js')").await;
        page.click("#away").await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('away-js'))").await;
        page.eval("document.getElementById('n').removeAttribute('lv-click-away')").await;
        let heard = count_of(&mut page, "away-js").await;
        page.click("#away").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(count_of(&mut page, "away-js").await, heard);

        // lv-window-keydown: Escape anywhere.
        key(&mut page, "Escape", "Escape", 27).await;
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('esc'))").await;

        // lv-disable-with: disabled with its text until the reply.
        page.click("#sb").await;
        assert_eq!(page.eval("document.getElementById('sb').disabled").await, true);
        assert_eq!(page.eval("document.getElementById('sb').textContent").await, "Saving…");
        page.wait_for("[...document.querySelectorAll('#log li')].some(li => li.textContent.startsWith('slow'))").await;
        page.wait_for("!document.getElementById('sb').disabled").await;
        assert_eq!(page.eval("document.getElementById('sb').textContent").await, "Save");

        // lv-update="ignore": the server's count moved on; inside the ignored element it did not.
        let n = page.eval("document.getElementById('n').textContent").await;
        assert_ne!(n, "0");
        assert_eq!(page.eval("document.getElementById('ign-count').textContent").await, "0");
    })
    .await;
}

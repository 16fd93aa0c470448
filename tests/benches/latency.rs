//! Click → DOM latency in Chromium: prints figures, asserts nothing.
//!
//! The counter demo is served in-process twice on free loopback ports: with `leptos_live::serve`
//! (`TCP_NODELAY` on every connection) and, as the baseline, with a plain `axum::serve`. In
//! headless Chromium, a script clicks the +1 button every 15 ms while the page's server clock
//! pushes a change every second, and takes `performance.now()` at each click and when a
//! MutationObserver on `#count` sees that click's number (`performance.now()` has a 0.1 ms
//! resolution in Chromium). Without `TCP_NODELAY`, a reply written while an earlier frame is
//! unacknowledged waits for the browser's ACK: a delayed ACK (about 40 ms on Linux), or the ACK
//! that rides on the next click.
//!
//! The floor, in the same run: the counter's page as the engine serves it (its HTML and
//! stylesheet), without the shim: its own small script sends each click's number over a
//! WebSocket to a bare echo server (`TCP_NODELAY` too, a clock frame pushed every second as well)
//! and shows the answer. It pays what no server-driven page can avoid (the browser's event and
//! WebSocket paths, loopback TCP, a task woken on the server, the same DOM update on the same
//! styled page) and nothing else.
//!
//! The floor + render, in the same run: the floor, whose echo first renders the counter's page
//! for the number it got (the demo's own markup, `demo_counter::counter_view`, to HTML), then
//! sends the number as the floor does. It adds to the floor the one piece of work every
//! server-rendered page does per event, and nothing of the engine's: the engine's distance to it
//! is what the engine adds beyond rendering the page (routing the event, comparing the render with
//! what the browser has, the patch, the shim).
//!
//! The rows take turns: each runs its clicks in `ROUNDS` blocks (default 5), one block of every
//! row after the other, each in a fresh tab after 20 clicks of warm-up. A slower minute of the
//! machine then falls on every row alike, rather than on whichever row ran in it.
//!
//! The long-poll fallback, in the same run: the engine with `TCP_NODELAY`, behind a layer that
//! answers 403 to every WebSocket upgrade, so that the shim polls.
//!
//! Live navigation, in the same run: two pages of one live session, each a heading and an
//! `lv-navigate` link to the other. A real press of the mouse button, held 100 ms as a hand
//! holds it, starts the navigation on the press; the time is from the release (the click) to the
//! next page shown. Against it, clicks with no press before them (a script's), which navigate on
//! the click, as every click did before navigation on press: from the click to the page shown.
//!
//! Run with `cargo bench -p leptos-live-tests --bench latency`; `CLICKS=n` (default 500) sets the
//! clicks per server, `ROUNDS=n` (default 5) the blocks they are run in, `EVERY_MS=n` (default 15)
//! the interval, `NAVS=n` (default 100) the navigations each way.

use std::time::Duration;

use axum::extract::ws::WebSocketUpgrade;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use leptos_live::LiveRouter;
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{env_or, floor, percentile};
use serde_json::Value;
use tokio::net::TcpListener;

/// Installed before the page's own scripts: the time of every `WebSocket.send` and of every
/// frame's arrival (a `message` listener added before the page's own), in `window.lvProbe`.
const PROBE: &str = r#"
(() => {
  const P = (window.lvProbe = { send: [], recv: [] });
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) {
    P.send.push(performance.now());
    return send.call(this, d);
  };
  const Socket = WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...a) {
      super(...a);
      this.addEventListener("message", () => P.recv.push(performance.now()));
    }
  };
})()
"#;

/// Starts the clicks in the page (`n` clicks, one every `every` ms, on the +1 button) and
/// leaves in `window.lvBench` each click's latency in ms (`null` when its number never showed)
/// and whether the browser rendered a frame between the click and its number: that frame's work
/// (style, layout, paint of what the click changed) delays the reply's handling, and it is what
/// the slowest clicks have in common. Over a socket, each click's time is also split at its
/// `send` and at its reply's arrival (see [`PROBE`]): the page's script before the send, the
/// way there and back (the browser's network path, loopback, the server), and the page's script
/// from the arrival to the number shown.
const CLICKER: &str = r#"
((n, every) => {
  window.lvBench = null;
  const count = document.getElementById("count");
  const button = document.querySelector('button[lv-click="inc"]');
  const base = +count.textContent;
  const sent = [], seen = [];
  let shown = base;
  const watch = new MutationObserver(() => {
    const now = performance.now();
    const v = +count.textContent;
    for (let k = shown + 1; k <= v; k++) seen[k - base - 1] = now;
    shown = Math.max(shown, v);
  });
  watch.observe(count, { childList: true, characterData: true, subtree: true });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const frames = [];
  let framing = true;
  const frame = () => {
    frames.push(performance.now());
    if (framing) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const P = window.lvProbe || { send: [], recv: [] };
  const out = [];
  (async () => {
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const before = P.send.length;
      sent[i] = performance.now();
      button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      out[i] = P.send[before];
      await sleep(Math.max(0, start + (i + 1) * every - performance.now()));
    }
    const until = performance.now() + 5000;
    while (shown < base + n && performance.now() < until) await sleep(10);
    watch.disconnect();
    framing = false;
    // The reply's arrival: the last frame that arrived before the number showed.
    const arrived = (from, to) => {
      let at;
      for (const r of P.recv) if (r >= from && r <= to) at = r;
      return at;
    };
    window.lvBench = sent.map((t, i) => {
      if (seen[i] === undefined) return null;
      const got = out[i] === undefined ? undefined : arrived(out[i], seen[i]);
      const split = got === undefined ? null : [out[i] - t, got - out[i], seen[i] - got];
      return [seen[i] - t, frames.some((f) => f > t && f < seen[i]), split];
    });
  })();
})
"#;

struct Figures {
    server: &'static str,
    clicks: usize,
    lost: usize,
    p50: f64,
    p99: f64,
    max: f64,
    over_20ms: usize,
    /// Clicks with a frame rendered before their number showed, and their median.
    framed: usize,
    framed_p50: f64,
    /// Medians of the click's split, in ms: script to the send, the way there and back, script
    /// from the arrival to the number shown (`None` without a socket).
    split: Option<[f64; 3]>,
}

/// The floor's script: the counter's number and button, driven over a bare WebSocket.
const FLOOR_SCRIPT: &str = r#"<script>
  const count = document.getElementById("count");
  const ws = new WebSocket("ws://" + location.host + "/ws");
  let n = +count.textContent;
  ws.onopen = () => { window.lvFloorReady = true; };
  const clock = document.getElementById("clock");
  ws.onmessage = (e) => {
    if (e.data.startsWith("t")) clock.textContent = e.data.slice(1); else count.textContent = e.data;
  };
  document.querySelector('button[lv-click="inc"]').addEventListener("click", () => ws.send(String(++n)));
</script>"#;

/// The counter's page as the engine serves it (`engine` serves its stylesheet), without the
/// shim, and with the floor's script instead.
async fn floor_page(engine: std::net::SocketAddr) -> String {
    let (_, mut html) = leptos_live_tests::http_get(engine, "/").await;
    while let Some(start) = html.find("<script") {
        let end = html[start..]
            .find("</script>")
            .map_or(html.len(), |e| start + e + "</script>".len());
        html.replace_range(start..end, "");
    }
    let html = html
        .replace("href=\"/", &format!("href=\"http://{engine}/"))
        .replace("src=\"/", &format!("src=\"http://{engine}/"));
    match html.rfind("</body>") {
        Some(at) => format!("{}{FLOOR_SCRIPT}{}", &html[..at], &html[at..]),
        None => format!("{html}{FLOOR_SCRIPT}"),
    }
}

/// Serves the floor's page and echo socket on a free loopback port, with `TCP_NODELAY`; with
/// `render`, the echo renders the page first (see [`floor::echo`]).
async fn start_floor(render: bool) -> std::net::SocketAddr {
    let page = floor_page(start(true).await).await;
    let app = axum::Router::new()
        .route("/", get(move || async move { Html(page) }))
        .route(
            "/ws",
            get(move |up: WebSocketUpgrade| async move {
                up.on_upgrade(move |socket| floor::echo(socket, render))
                    .into_response()
            }),
        );
    let app = isolated(app);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        if let Err(e) = leptos_live::serve(listener, app).await {
            eprintln!("floor server stopped: {e}");
        }
    });
    addr
}

/// Serves the counter demo on a free loopback port, with or without `TCP_NODELAY`.
async fn start(nodelay: bool) -> std::net::SocketAddr {
    start_app(nodelay, demo_counter::app(LiveRouter::new())).await
}

/// Serves the counter demo with `TCP_NODELAY`, every WebSocket upgrade answered with 403: the
/// shim falls back to long-polling.
async fn start_polling() -> std::net::SocketAddr {
    use axum::extract::Request;
    use axum::middleware::Next;
    let refuse = axum::middleware::from_fn(|req: Request, next: Next| async move {
        if req.headers().contains_key(axum::http::header::UPGRADE) {
            return axum::http::StatusCode::FORBIDDEN.into_response();
        }
        next.run(req).await
    });
    start_app(true, demo_counter::app(LiveRouter::new()).layer(refuse)).await
}

/// Serves every response of `app` cross-origin isolated (`crossOriginIsolated` in the page),
/// which gives `performance.now()` a resolution of microseconds instead of 0.1 ms, for the
/// clicks' split; the floor's page takes the engine's stylesheet from another port, so every
/// response may also be taken cross-origin.
fn isolated(app: axum::Router) -> axum::Router {
    use axum::extract::Request;
    use axum::http::HeaderValue;
    use axum::middleware::Next;
    app.layer(axum::middleware::from_fn(
        |req: Request, next: Next| async move {
            let mut res = next.run(req).await;
            let h = res.headers_mut();
            for (name, value) in [
                ("cross-origin-opener-policy", "same-origin"),
                ("cross-origin-embedder-policy", "require-corp"),
                ("cross-origin-resource-policy", "cross-origin"),
            ] {
                h.insert(name, HeaderValue::from_static(value));
            }
            res
        },
    ))
}

async fn start_app(nodelay: bool, app: axum::Router) -> std::net::SocketAddr {
    let app = isolated(app);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        let served = if nodelay {
            leptos_live::serve(listener, app).await
        } else {
            axum::serve(listener, app).await
        };
        if let Err(e) = served {
            eprintln!("server stopped: {e}");
        }
    });
    addr
}

/// One click: its latency in ms, whether a frame was rendered in between, and its split (see
/// [`CLICKER`]).
type Click = (f64, bool, Option<[f64; 3]>);

/// Runs `n` clicks in the page and returns them (`None`: never shown).
async fn clicks(
    page: &mut leptos_live_tests::browser::Page<'_>,
    n: usize,
    every: u64,
) -> Vec<Option<Click>> {
    page.eval(&format!("({CLICKER})({n}, {every})")).await;
    let deadline =
        tokio::time::Instant::now() + Duration::from_millis(n as u64 * every * 2 + 30_000);
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let v = page.eval("window.lvBench").await;
        if let Value::Array(items) = v {
            return items
                .iter()
                .map(|c| {
                    let split = c[2]
                        .as_array()
                        .and_then(|p| Some([p[0].as_f64()?, p[1].as_f64()?, p[2].as_f64()?]));
                    Some((c[0].as_f64()?, c[1].as_bool()?, split))
                })
                .collect();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the clicks did not finish"
        );
    }
}

/// Which server a row measures.
#[derive(Clone, Copy)]
enum Server {
    Engine { nodelay: bool },
    Polling,
    Floor { render: bool },
}

async fn start_server(which: Server) -> std::net::SocketAddr {
    match which {
        Server::Engine { nodelay } => start(nodelay).await,
        Server::Polling => start_polling().await,
        Server::Floor { render } => start_floor(render).await,
    }
}

/// One block of `n` clicks on the server at `addr`, in a tab of its own, after 20 clicks to
/// warm up (the first events compile the page's JavaScript paths and grow the buffers).
async fn block(
    browser: &mut Browser,
    which: Server,
    addr: std::net::SocketAddr,
    n: usize,
    every: u64,
) -> Vec<Option<Click>> {
    let tab = browser.open_tab("about:blank", false).await;
    let mut page = browser.page(&tab);
    page.cmd("Page.enable", serde_json::json!({})).await;
    page.cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        serde_json::json!({ "source": PROBE }),
    )
    .await;
    page.goto(&format!("http://{addr}/")).await;
    match which {
        Server::Engine { .. } => page.wait_connected().await,
        Server::Polling => {
            page.wait_connected().await;
            assert_eq!(
                page.eval("window.liveSocket.ws instanceof WebSocket").await,
                false,
                "the page polls"
            );
        }
        Server::Floor { .. } => page.wait_for("window.lvFloorReady === true").await,
    }
    assert_eq!(
        page.eval("window.crossOriginIsolated").await,
        true,
        "the page is cross-origin isolated"
    );
    clicks(&mut page, 20, every).await;
    let times = clicks(&mut page, n, every).await;
    browser.close_tab(tab).await;
    times
}

/// A row's figures from all of its blocks' clicks.
fn figures(server: &'static str, times: Vec<Option<Click>>) -> Figures {
    let n = times.len();
    let lost = times.iter().filter(|t| t.is_none()).count();
    let shown: Vec<Click> = times.into_iter().flatten().collect();
    let mut t: Vec<f64> = shown.iter().map(|c| c.0).collect();
    t.sort_by(f64::total_cmp);
    let mut framed: Vec<f64> = shown.iter().filter(|c| c.1).map(|c| c.0).collect();
    framed.sort_by(f64::total_cmp);
    let splits: Vec<[f64; 3]> = shown.iter().filter_map(|c| c.2).collect();
    let split = (splits.len() * 2 > shown.len()).then(|| {
        [0, 1, 2].map(|k| {
            let mut part: Vec<f64> = splits.iter().map(|s| s[k]).collect();
            part.sort_by(f64::total_cmp);
            percentile(&part, 0.50).unwrap_or(f64::NAN)
        })
    });
    Figures {
        server,
        clicks: n,
        lost,
        p50: percentile(&t, 0.50).unwrap_or(f64::NAN),
        p99: percentile(&t, 0.99).unwrap_or(f64::NAN),
        max: t.last().copied().unwrap_or(f64::NAN),
        over_20ms: t.iter().filter(|&&x| x > 20.0).count(),
        framed: framed.len(),
        framed_p50: percentile(&framed, 0.50).unwrap_or(f64::NAN),
        split,
    }
}

/// Two live pages of one live session, each a heading and a link to the other (`lv-navigate`),
/// for the navigation rows: the link's navigation starts on the press of the mouse button.
mod nav_pages {
    use leptos::prelude::*;
    use leptos_live::{Ctx, LiveError, LiveSession, LiveView, Params, RawEvent, Session};

    pub struct First;
    impl LiveView for First {
        type Message = ();
        type Event = RawEvent;
        async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
            Ok(First)
        }
        fn render(&self) -> impl IntoView {
            view! { <h1 id="at">"first"</h1> <a id="go" href="/second" lv-navigate="">"to the second page"</a> }
        }
    }

    pub struct Second;
    impl LiveView for Second {
        type Message = ();
        type Event = RawEvent;
        async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
            Ok(Second)
        }
        fn render(&self) -> impl IntoView {
            view! { <h1 id="at">"second"</h1> <a id="go" href="/first" lv-navigate="">"to the first page"</a> }
        }
    }

    pub fn session() -> LiveSession {
        LiveSession::new("nav")
            .page::<First>("/first")
            .page::<Second>("/second")
    }
}

/// Watches `#at` and keeps in `window.lvNav` the time the page's heading last changed; the time
/// of the last mouse release goes in `window.lvUp`.
const NAV_WATCH: &str = r#"
(() => {
  window.lvNav = 0;
  addEventListener("mouseup", () => (window.lvUp = performance.now()), true);
  new MutationObserver(() => (window.lvNav = performance.now())).observe(document.getElementById("lv-root"), { childList: true, subtree: true, characterData: true });
})()
"#;

/// Navigations between the two pages, `n` each way: by a real press of the mouse button held
/// `hold` ms then released (the navigation starts on the press), and by a click with no press
/// before it (a script's click: the navigation starts on the click, as every click's did before
/// navigation on press). Returns the times from release to the next page shown, and from click
/// to shown, in ms.
async fn navigations(browser: &mut Browser, n: usize, hold: u64) -> (Vec<f64>, Vec<f64>) {
    let app = LiveRouter::new()
        .live_session(nav_pages::session())
        .into_router();
    let addr = start_app(true, app).await;
    let tab = browser
        .open_tab(&format!("http://{addr}/first"), false)
        .await;
    let mut page = browser.page(&tab);
    page.wait_connected().await;
    page.eval(NAV_WATCH).await;
    let (mut pressed, mut clicked) = (Vec::new(), Vec::new());
    for i in 0..2 * n + 10 {
        let before = page.eval("document.getElementById('at').textContent").await;
        let shown = format!(
            "document.getElementById('at').textContent !== {before} && window.liveSocket.isConnected()"
        );
        let measured = i >= 10;
        if i % 2 == 0 {
            let rect = page
                .eval("(() => { const r = document.getElementById('go').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
                .await;
            let (x, y) = (
                rect[0].as_f64().unwrap_or(0.0),
                rect[1].as_f64().unwrap_or(0.0),
            );
            let mouse = |kind: &str| serde_json::json!({ "type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1 });
            page.cmd("Input.dispatchMouseEvent", mouse("mousePressed"))
                .await;
            tokio::time::sleep(Duration::from_millis(hold)).await;
            page.cmd("Input.dispatchMouseEvent", mouse("mouseReleased"))
                .await;
            page.wait_for(&shown).await;
            let ms = page.eval("window.lvNav - window.lvUp").await;
            if measured {
                pressed.push(ms.as_f64().unwrap_or(f64::NAN));
            }
        } else {
            page.eval("window.lvClick = performance.now(); document.getElementById('go').click()")
                .await;
            page.wait_for(&shown).await;
            let ms = page.eval("window.lvNav - window.lvClick").await;
            if measured {
                clicked.push(ms.as_f64().unwrap_or(f64::NAN));
            }
        }
    }
    browser.close_tab(tab).await;
    (pressed, clicked)
}

fn main() {
    let n: usize = env_or("CLICKS", 500);
    let every: u64 = env_or("EVERY_MS", 15);
    let navs: usize = env_or("NAVS", 100);
    let rounds: usize = env_or("ROUNDS", 5).clamp(1, n.max(1));
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (rows, (pressed, clicked)) = runtime.block_on(async {
        let mut browser = Browser::launch().await;
        let servers: [(&'static str, Server); 5] = [
            (
                "leptos_live::serve (TCP_NODELAY)",
                Server::Engine { nodelay: true },
            ),
            (
                "leptos_live::serve, long-poll fallback (upgrades refused)",
                Server::Polling,
            ),
            (
                "axum::serve (baseline, no TCP_NODELAY)",
                Server::Engine { nodelay: false },
            ),
            (
                "floor: the same page, a bare echo socket, its own script",
                Server::Floor { render: false },
            ),
            (
                "floor + render: the floor, rendering the counter's page on each click",
                Server::Floor { render: true },
            ),
        ];
        let mut addrs = Vec::new();
        for (_, which) in servers {
            addrs.push(start_server(which).await);
        }
        // The rows take turns, a block each, so that the machine's slower and faster minutes
        // fall on all of them alike.
        let mut times: Vec<Vec<Option<Click>>> = vec![Vec::new(); servers.len()];
        for round in 0..rounds {
            let per = n / rounds + usize::from(round < n % rounds);
            for (i, (_, which)) in servers.iter().enumerate() {
                times[i].extend(block(&mut browser, *which, addrs[i], per, every).await);
            }
        }
        let rows: Vec<Figures> = servers
            .iter()
            .zip(times)
            .map(|((name, _), t)| figures(name, t))
            .collect();
        (rows, navigations(&mut browser, navs, 100).await)
    });
    println!(
        "\nclick → DOM in Chromium, counter demo: {n} clicks on +1 every {every} ms per row, in {rounds} turns, server clock pushing every second\n"
    );
    println!(
        "| server | clicks | p50 | p99 | max | clicks over 20 ms | clicks with a frame between: count, p50 | split, medians: script to send, there and back, arrival to shown |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    let (engine, polling, floor, rendering) = (&rows[0], &rows[1], &rows[3], &rows[4]);
    let ratios = format!(
        "engine / floor: p50 {:.2}×, p99 {:.2}×; engine / floor + render: p50 {:.2}×, p99 {:.2}×; long-poll / socket: p50 {:.2}×, p99 {:.2}×",
        engine.p50 / floor.p50,
        engine.p99 / floor.p99,
        engine.p50 / rendering.p50,
        engine.p99 / rendering.p99,
        polling.p50 / engine.p50,
        polling.p99 / engine.p99
    );
    for f in rows.iter() {
        let lost = if f.lost > 0 {
            format!(" ({} never shown)", f.lost)
        } else {
            String::new()
        };
        let split = f.split.map_or("no socket".to_string(), |[a, b, c]| {
            format!("{a:.3} + {b:.3} + {c:.3} ms")
        });
        println!(
            "| {} | {}{lost} | {:.2} ms | {:.2} ms | {:.1} ms | {} | {}, {:.2} ms | {split} |",
            f.server, f.clicks, f.p50, f.p99, f.max, f.over_20ms, f.framed, f.framed_p50
        );
    }
    println!("\n{ratios}");
    let spread = |mut t: Vec<f64>| {
        t.sort_by(f64::total_cmp);
        (
            percentile(&t, 0.50).unwrap_or(f64::NAN),
            percentile(&t, 0.99).unwrap_or(f64::NAN),
            t.iter().filter(|&&x| x <= 0.0).count(),
            t.len(),
        )
    };
    let (p50, p99, early, of) = spread(pressed);
    let (c50, c99, _, cn) = spread(clicked);
    println!(
        "\nlive navigation in Chromium, between two pages of a live session\n\n| how | navigations | from the release or click to the next page shown: p50 | p99 | shown before the release |\n| --- | --- | --- | --- | --- |"
    );
    println!(
        "| a press held 100 ms (navigates on the press) | {of} | {:.1} ms | {:.1} ms | {early} |",
        p50.max(0.0),
        p99.max(0.0)
    );
    println!(
        "| a click with no press (navigates on the click) | {cn} | {c50:.1} ms | {c99:.1} ms | |"
    );
}

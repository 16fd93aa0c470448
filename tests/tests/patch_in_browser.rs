//! Patch equals target, in the browser: random page pairs (A, B); Chromium parses A, a person
//! types into a field, clicks a bound button and leaves a button or a field focused, the real
//! shim applies the engine's operations for A → B as the click's reply, and the DOM must equal B
//! as Chromium parses it: nothing the shim does to keep focus, typing and loading classes may
//! leave a trace. `PATCH_CASES` (default 300) and `PATCH_SEED` (default: from the clock,
//! printed) set the run.

use axum::http::header;
use axum::routing::get;
use leptos_live::diff::{diff, write_ops};
use leptos_live::html::parse_fragment;
use leptos_live_tests::browser::{Browser, PARSE_IN_DIV};
use leptos_live_tests::pages::{keyed_pair, page_pair};
use leptos_live_tests::{TestServer, within};
use serde_json::{Value, json};

const PAGE: &str = r#"<!doctype html><title>patch</title>
<script type="module">import { LiveSocket } from "/shim.js"; window.LiveSocket = LiveSocket;</script>"#;

/// Applies each case's operations with the shim and returns the cases whose DOM differs. Pages
/// are parsed by `parsed`, [`PARSE_IN_DIV`]. Before the operations, in the document: typing into
/// A's first field, a click on its first button (every button carries `lv-click`, so the shim
/// sends an event and adds its loading class) and focus on that button or that field (odd
/// cases prefer the button); the operations then arrive as the click's reply, which settles it.
const RUN: &str = r#"
(parsed) => (cases) => cases.flatMap(([a, ops, b], i) => {
  const root = parsed(a);
  document.body.append(root);
  const socket = new LiveSocket(root);
  const field = root.querySelector("input, textarea");
  const button = root.querySelector("button");
  if (field) {
    field.focus();
    field.value += "typed";
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  if (button) button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  const clicked = socket.ref;
  if (button && clicked !== 1) throw new Error("case " + i + ": the click sent no event");
  ((i % 2 && button) || field || button)?.focus();
  let mismatch = false;
  socket.send = () => { mismatch = true; };
  socket.onFrame(JSON.stringify([clicked, ops]));
  if (socket.pending.size) throw new Error("case " + i + ": the reply did not settle the click");
  root.remove();
  const want = parsed(b);
  const same = root.childNodes.length === want.childNodes.length &&
    [...root.childNodes].every((n, k) => n.isEqualNode(want.childNodes[k]));
  const where = (x, y, path) => {
    if (x.childNodes.length !== y.childNodes.length)
      return path + ": " + [...x.childNodes].map((n) => n.nodeName).join(",") + " vs " + [...y.childNodes].map((n) => n.nodeName).join(",");
    for (let k = 0; k < x.childNodes.length; k++) {
      const [p, q] = [x.childNodes[k], y.childNodes[k]];
      if (!p.isEqualNode(q)) {
        if (p.nodeType !== 1 || q.nodeType !== 1 || p.nodeName !== q.nodeName) return path + "/" + k + ": " + p.nodeName + " vs " + q.nodeName;
        return where(p, q, path + "/" + k);
      }
    }
    const attrs = (n) => n.nodeType === 1 ? [...n.attributes].map((a) => a.namespaceURI + "|" + a.name + "=" + a.value).join(" ") : JSON.stringify(n.data);
    return path + ": " + x.nodeName + " [" + attrs(x) + "] vs [" + attrs(y) + "]";
  };
  return same && !mismatch ? [] : [[i, mismatch, root.innerHTML, want.innerHTML, where(root, want, "")]];
})
"#;

/// A page that loads the real shim and exposes `LiveSocket`.
async fn shim_server() -> TestServer {
    let app = axum::Router::new()
        .route("/", get(|| async { axum::response::Html(PAGE) }))
        .route(
            "/shim.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript")],
                    leptos_live::server::client_js(),
                )
            }),
        );
    TestServer::start(app).await
}

/// A whole-page frame builds the tree the server parsed: the full parser's, which splits a
/// `<button>` nested in a `<button>` (Chromium's `innerHTML` shortcut parser keeps it nested
/// when nothing else on the page sends it to the full parser). Its scripts stay unrun, as
/// `innerHTML` leaves them.
#[tokio::test]
async fn a_whole_page_frame_builds_the_servers_tree() {
    let pages = [
        r#"<p>x</p><button class="a"><button id="k0">b</button></button>"#,
        concat!(
            "<p>x</p><script>window.ran = 1</script>",
            r#"<svg><script>window.ranSvg = 1</script><circle r="1"></circle></svg>"#,
        ),
    ];
    let server = shim_server().await;
    let got = within(60, "whole page frames", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_for("window.LiveSocket").await;
        let js = format!(
            r#"((pages) => {{
  const root = document.createElement("div");
  document.body.append(root);
  const socket = new LiveSocket(root);
  const kids = (n) => [...n.childNodes].map((k) => k.nodeName + "(" + kids(k) + ")").join(",");
  const trees = pages.map((html, i) => {{
    socket.onFrame(JSON.stringify([0, "html", html, i + 1, {{}}]));
    return kids(root);
  }});
  return [...trees, window.ran === undefined && window.ranSvg === undefined];
}})({pages})"#,
            pages = json!(pages)
        );
        page.eval(&js).await
    })
    .await;
    assert_eq!(
        got,
        json!([
            "P(#text()),BUTTON(),BUTTON(#text())",
            "P(#text()),SCRIPT(#text()),svg(script(#text()),circle())",
            true
        ]),
        "the server's trees: {:?}",
        pages.map(|p| leptos_live::html::inner_html(&parse_fragment(p)))
    );
}

#[tokio::test]
async fn patches_turn_a_into_b_in_chromium() {
    let cases: u64 = leptos_live_tests::env_or("PATCH_CASES", 300);
    let seed: u64 = std::env::var("PATCH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    println!("PATCH_SEED={seed} PATCH_CASES={cases}");
    let pairs: Vec<(String, String)> = (0..cases)
        .map(|i| {
            let s = seed
                .wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                .max(1);
            let (a, b) = if i % 5 == 4 {
                keyed_pair(s, (s % 40) as usize)
            } else {
                page_pair(s, 1 + (s % 3) as usize)
            };
            // Every button is bound, so that clicking one sends an event and shows loading.
            let bound = |p: String| p.replace("<button", r#"<button lv-click="go""#);
            (bound(a), bound(b))
        })
        .collect();
    let with = |tags: &[&str]| {
        let has = |a: &String| tags.iter().any(|t| a.contains(t));
        pairs.iter().filter(|(a, _)| has(a)).count()
    };
    println!(
        "{} of {cases} pages have a button to click, {} a field to type into",
        with(&["<button"]),
        with(&["<input", "<textarea"])
    );
    // Changes that cannot be operations go out as the whole page (see `Unrepresentable`).
    let mut whole = 0;
    let mut kept = Vec::new();
    let batch: Vec<Value> = pairs
        .iter()
        .enumerate()
        .filter_map(|(i, (a, b))| {
            let Ok(ops) = diff(&parse_fragment(a), &parse_fragment(b)) else {
                whole += 1;
                return None;
            };
            kept.push(i);
            let mut json_ops = String::new();
            write_ops(&ops, &mut json_ops);
            Some(json!([
                a,
                serde_json::from_str::<Value>(&json_ops).expect("ops are JSON"),
                b
            ]))
        })
        .collect();
    println!("{whole} of {cases} changes go out as the whole page");
    assert!(
        whole * 20 <= cases as usize,
        "{whole} of {cases} changes were not expressible as operations"
    );
    let server = shim_server().await;
    // In evaluations of 500 cases: one DevTools call has 30 s, and a long run takes minutes.
    let failures = within(120 + cases / 20, "patches in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_for("window.LiveSocket").await;
        let mut failures = Vec::new();
        for (k, chunk) in batch.chunks(500).enumerate() {
            let found = page
                .eval(&format!(
                    "({RUN})({PARSE_IN_DIV})({})",
                    Value::Array(chunk.to_vec())
                ))
                .await;
            for mut f in found.as_array().cloned().unwrap_or_default() {
                // Indices count from the start of the whole batch.
                f[0] = json!(f[0].as_u64().unwrap_or(0) + (k * 500) as u64);
                failures.push(f);
            }
        }
        failures
    })
    .await;
    let report: Vec<String> = failures
        .iter()
        .take(5)
        .map(|f| {
            let i = kept[f[0].as_u64().unwrap_or(0) as usize];
            let (got, want) = (f[2].as_str().unwrap_or(""), f[3].as_str().unwrap_or(""));
            let at = got.bytes().zip(want.bytes()).take_while(|(x, y)| x == y).count();
            let from = got[..at].char_indices().rev().nth(60).map_or(0, |(k, _)| k);
            format!(
                "case {i} (mismatch reported: {}; first difference at {})\n  A: {}\n  B: {}\n  got:  …{}\n  want: …{}",
                f[1],
                f[4],
                pairs[i].0,
                pairs[i].1,
                got[from..].chars().take(160).collect::<String>(),
                want[from..].chars().take(160).collect::<String>()
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ (PATCH_SEED={seed}):\n{}",
        failures.len(),
        report.join("\n")
    );
}

/// Processing instructions, which Chromium builds from `<?target data?>` (and from html5lib's
/// `<?COMMENT?>`, `<?COM--MENT?>` and `<?import …>`; `<?` at the end builds nothing): pages
/// that hold them, patched in, changed, moved and out by the real shim, end as Chromium parses
/// the target page.
#[tokio::test]
async fn processing_instructions_patch_in_and_out() {
    let import = r##"<?import namespace="foo" implementation="#bar">"##;
    let pairs: Vec<(String, String)> = [
        ("<p>a</p>", "<p>a</p><?COMMENT?>"),
        ("<p>a</p><?COMMENT?>", "<p>a</p>"),
        ("<div><?COMMENT?></div>", "<div><?COM--MENT?></div>"),
        ("<div><?COM--MENT?>x</div>", "<div>y<?COM--MENT?>x</div>"),
        (&format!("<p>x</p>{import}"), &format!("<p>y</p>{import}")),
        (&format!("<p>x</p>{import}<b>1</b>"), "<p>x</p><b>2</b>"),
        ("<p>1</p>", "<p>2</p><?"),
        ("<p>1</p><?", "<p>1</p><?x y?>"),
        (
            "<ul><li>a<?x?></li></ul>",
            "<ul><li>b<?y z?></li><li>c</li></ul>",
        ),
        (
            r#"<ul><li id="a"><?a?></li><li id="b"><?b 1?></li></ul>"#,
            r#"<ul><li id="b"><?b 2?></li><li id="a"><?a?></li></ul>"#,
        ),
        (
            "<svg><?s?><circle r=\"1\"></circle></svg><table><?t?><tr><td>1</td></tr></table>",
            "<svg><circle r=\"2\"></circle><?s?></svg><table><tr><td>2</td></tr><?u?></table>",
        ),
        ("<p>a<!--?x?--></p>", "<p>a<?x?></p>"),
        ("<?xml version=\"1.0\"><p>a</p>", "<?xmlfoo?><p>a</p>"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .into();
    let batch: Vec<Value> = pairs
        .iter()
        .map(|(a, b)| {
            let ops = diff(&parse_fragment(a), &parse_fragment(b))
                .unwrap_or_else(|_| panic!("{a:?} -> {b:?} goes out as operations"));
            let mut json_ops = String::new();
            write_ops(&ops, &mut json_ops);
            json!([
                a,
                serde_json::from_str::<Value>(&json_ops).expect("ops are JSON"),
                b
            ])
        })
        .collect();
    let server = shim_server().await;
    let failures = within(60, "processing instructions in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_for("window.LiveSocket").await;
        page.eval(&format!("({RUN})({PARSE_IN_DIV})({})", Value::Array(batch)))
            .await
    })
    .await;
    let report: Vec<String> = failures
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let (a, b) = &pairs[f[0].as_u64().unwrap_or(0) as usize];
            format!("{a:?} -> {b:?}: mismatch reported {}, at {}", f[1], f[4])
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

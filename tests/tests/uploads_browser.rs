//! Uploads in Chromium with real files: picked on the input (DevTools sets its files, as a user
//! would) or dropped, with progress and previews, cancelled midway, refused before a byte is
//! sent, two at once, carried across a reconnect, and over the long-poll fallback; a pick does
//! not fire the form's `lv-change`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use leptos_live::LiveConfig;
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::uploads::{PNG, TempDir, app, files_in, fresh_dir};
use leptos_live_tests::{TestServer, within};

struct Setup {
    server: TestServer,
    temp: TempDir,
    saved: TempDir,
    files: TempDir,
}

async fn setup() -> Setup {
    let temp = fresh_dir("b-uploads");
    let saved = fresh_dir("b-saved");
    let files = fresh_dir("b-files");
    let server = TestServer::start(app(LiveConfig::default(), &temp, &saved)).await;
    Setup {
        server,
        temp,
        saved,
        files,
    }
}

/// Writes a file of `len` bytes that are not all alike, and returns its path and bytes.
fn make_file(dir: &Path, name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let mut x = 0x9e37_79b9_u32;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write a test file");
    (path, bytes)
}

/// The one file saved under `name` (its entry id before it).
fn saved_file(dir: &Path, name: &str) -> Vec<u8> {
    let file = files_in(dir)
        .into_iter()
        .find(|f| f.ends_with(&format!("-{name}")))
        .unwrap_or_else(|| panic!("{name} saved in {:?}", files_in(dir)));
    std::fs::read(dir.join(file)).expect("read the saved file")
}

/// Counts what the page's script sends: binary chunks and joins.
async fn count_sends(page: &mut Page<'_>) {
    page.eval(
        "(() => { window.sent = { chunks: 0, joins: 0 }; const send = WebSocket.prototype.send; \
         WebSocket.prototype.send = function (d) { if (typeof d === 'string') { if (d.includes('\"j\"')) sent.joins++; } else sent.chunks++; return send.call(this, d); }; })()",
    )
    .await;
}

async fn empties(dir: &Path) {
    within(10, "temporary files removed", async {
        while !files_in(dir).is_empty() {
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn progress_previews_and_submit_in_chromium() {
    let s = setup().await;
    let (big, big_bytes) = make_file(&s.files, "big.bin", 20 << 20);
    let png = s.files.join("cat.png");
    std::fs::write(&png, PNG).expect("write the png");
    within(90, "uploads with progress in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&s.server.url("/")).await;
        page.wait_connected().await;
        // Every progress the view shows, as it shows it.
        page.eval(
            "(() => { window.seen = []; new MutationObserver(() => { for (const e of document.querySelectorAll('.entry')) seen.push(+e.dataset.progress); }).observe(document.getElementById('entries'), { subtree: true, childList: true, attributes: true }); })()",
        )
        .await;
        page.set_files("#files", &[&big]).await;
        page.wait_for("document.querySelector('.entry[data-done=true]')")
            .await;
        let seen = page.eval("window.seen").await;
        let seen: Vec<u64> = seen
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
            .unwrap_or_default();
        assert!(
            seen.iter().any(|p| *p > 0 && *p < 100),
            "progress between 0 and 100 shown: {seen:?}"
        );
        assert_eq!(seen.last(), Some(&100));
        page.click("#save").await;
        page.wait_for("document.getElementById('saved').textContent === 'big.bin'")
            .await;
        assert!(saved_file(&s.saved, "big.bin") == big_bytes, "the bytes arrive as sent");
        empties(&s.temp).await;

        // Sent on submit: the preview shows the image from memory before a byte is sent.
        page.goto(&s.server.url("/?manual")).await;
        page.wait_connected().await;
        count_sends(&mut page).await;
        page.set_files("#files", &[&png]).await;
        page.wait_for("document.querySelector('img[lv-preview]')?.naturalWidth === 1")
            .await;
        let src = page
            .eval("document.querySelector('img[lv-preview]').getAttribute('src')")
            .await;
        assert!(
            src.as_str().is_some_and(|s| s.starts_with("blob:")),
            "an object URL: {src}"
        );
        assert_eq!(page.eval("sent.chunks").await, 0, "nothing sent before the submit");
        assert_eq!(
            page.eval("document.querySelector('.entry').dataset.done").await,
            "false"
        );
        page.click("#save").await;
        page.wait_for("document.getElementById('saved').textContent === 'cat.png'")
            .await;
        assert_eq!(saved_file(&s.saved, "cat.png"), PNG);
        empties(&s.temp).await;
    })
    .await;
}

#[tokio::test]
async fn cancel_refusals_and_two_dropped_files_in_chromium() {
    let s = setup().await;
    let (big, _) = make_file(&s.files, "huge.bin", 60 << 20);
    let (small, _) = make_file(&s.files, "small.txt", 2000);
    let exe = s.files.join("tool.exe");
    std::fs::write(&exe, b"MZ").expect("write the exe");
    within(90, "cancel, refusals and drops in chromium", async {
        let mut browser = Browser::launch().await;

        // Cancelled after its first chunk is written.
        let mut page = browser.open(&s.server.url("/")).await;
        page.wait_connected().await;
        page.eval(
            "(() => { const acked = liveSocket.acked.bind(liveSocket); liveSocket.acked = (x, id, n) => { acked(x, id, n); if (x === 'uk' && !window.cancelled) { window.cancelled = true; document.querySelector('.cancel').click(); } }; })()",
        )
        .await;
        page.set_files("#files", &[&big]).await;
        page.wait_for("window.cancelled && !document.querySelector('.entry') && liveSocket.up.size === 0")
            .await;
        empties(&s.temp).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(files_in(&s.temp).is_empty(), "no file comes back");

        // Too large and of a type not accepted: refused, and not a byte sent.
        page.goto(&s.server.url("/?max=1000")).await;
        page.wait_connected().await;
        count_sends(&mut page).await;
        page.set_files("#files", &[&small, &exe]).await;
        page.wait_for("document.querySelectorAll('.entry .errors').length === 2")
            .await;
        let errors = page
            .eval("[...document.querySelectorAll('.entry .errors')].map(e => e.textContent).join('|')")
            .await;
        assert_eq!(errors, "too_large|not_accepted");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(page.eval("sent.chunks").await, 0, "no chunk sent");
        assert!(files_in(&s.temp).is_empty());

        // Two files dropped at once.
        page.goto(&s.server.url("/")).await;
        page.wait_connected().await;
        page.eval(
            "(() => { const dt = new DataTransfer(); dt.items.add(new File(['first file'], 'one.txt', { type: 'text/plain' })); dt.items.add(new File([new Uint8Array(300000).fill(7)], 'two.bin')); document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true })); })()",
        )
        .await;
        page.wait_for("document.querySelectorAll('.entry[data-done=true]').length === 2")
            .await;
        page.click("#save").await;
        page.wait_for("document.getElementById('saved').textContent === 'one.txt,two.bin'")
            .await;
        assert_eq!(saved_file(&s.saved, "one.txt"), b"first file");
        assert_eq!(saved_file(&s.saved, "two.bin"), vec![7u8; 300_000]);
        empties(&s.temp).await;
    })
    .await;
}

#[tokio::test]
async fn an_upload_resumes_after_a_reconnect_in_chromium() {
    let s = setup().await;
    let (big, big_bytes) = make_file(&s.files, "resume.bin", 30 << 20);
    within(90, "an upload across a reconnect", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&s.server.url("/")).await;
        page.wait_connected().await;
        count_sends(&mut page).await;
        // The socket drops once a third of the file is written.
        page.eval(
            "(() => { const acked = liveSocket.acked.bind(liveSocket); liveSocket.acked = (x, id, n) => { acked(x, id, n); if (x === 'uk' && n > 10e6 && !window.dropped) { window.dropped = n; liveSocket.ws.close(); } }; })()",
        )
        .await;
        page.set_files("#files", &[&big]).await;
        page.wait_for("document.querySelector('.entry[data-done=true]')")
            .await;
        assert!(
            page.eval("window.dropped").await.as_u64().is_some(),
            "the socket dropped midway"
        );
        assert!(
            page.eval("sent.joins").await.as_u64() >= Some(1),
            "the page joined again"
        );
        page.click("#save").await;
        page.wait_for("document.getElementById('saved').textContent === 'resume.bin'")
            .await;
        assert!(
            saved_file(&s.saved, "resume.bin") == big_bytes,
            "the bytes arrive whole and in order"
        );
        empties(&s.temp).await;
    })
    .await;
}

/// Picking a file is the upload's business, not the form's: it does not fire the form's
/// `lv-change` (the page sees the entry through `upload(name)`), while typing in a field of the
/// same form does, with the form's text fields and no file in the payload.
#[tokio::test]
async fn picking_a_file_does_not_fire_the_forms_change_in_chromium() {
    let s = setup().await;
    let png = s.files.join("cat.png");
    std::fs::write(&png, PNG).expect("write the png");
    within(60, "a pick and the form's lv-change in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&s.server.url("/?manual")).await;
        page.wait_connected().await;
        // The form asks for change events and has a text field; every text frame is kept.
        page.eval(
            "(() => { const f = document.getElementById('form'); f.setAttribute('lv-change', 'validate'); \
             const note = document.createElement('input'); note.id = 'note'; note.name = 'note'; f.prepend(note); \
             window.texts = []; const send = WebSocket.prototype.send; \
             WebSocket.prototype.send = function (d) { if (typeof d === 'string') texts.push(d); return send.call(this, d); }; })()",
        )
        .await;
        page.set_files("#files", &[&png]).await;
        page.wait_for("document.querySelector('.entry .name')?.textContent === 'cat.png'")
            .await;
        assert_eq!(
            page.eval("texts.filter((t) => t.includes('validate')).length").await,
            0,
            "no change event for a pick"
        );
        page.click("#note").await;
        page.type_text("x").await;
        page.wait_for("texts.some((t) => t.includes('validate'))").await;
        let change = page
            .eval("texts.find((t) => t.includes('validate'))")
            .await;
        let change = change.as_str().unwrap_or_default();
        assert!(change.contains(r#""note":"x""#), "{change}");
        assert!(!change.contains("files"), "no file in a change: {change}");
    })
    .await;
}

#[tokio::test]
async fn an_image_uploads_over_the_long_poll_fallback_in_chromium() {
    use axum::extract::Request;
    use axum::middleware::Next;
    use axum::response::IntoResponse as _;
    let temp = fresh_dir("p-uploads");
    let saved = fresh_dir("p-saved");
    let files = fresh_dir("p-files");
    // Every WebSocket upgrade refused, as a proxy refuses it.
    let refuse = axum::middleware::from_fn(|req: Request, next: Next| async move {
        if req.headers().contains_key(axum::http::header::UPGRADE) {
            return axum::http::StatusCode::FORBIDDEN.into_response();
        }
        next.run(req).await
    });
    let server = TestServer::start(app(LiveConfig::default(), &temp, &saved).layer(refuse)).await;
    let (big, big_bytes) = make_file(&files, "big.bin", 300_000);
    let png = files.join("cat.png");
    std::fs::write(&png, PNG).expect("write the png");
    within(90, "uploads over long-polling in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        assert_eq!(
            page.eval("window.liveSocket.ws instanceof WebSocket").await,
            false,
            "the page polls"
        );
        page.set_files("#files", &[&big]).await;
        page.wait_for("document.querySelector('.entry[data-done=true]')")
            .await;
        page.click("#save").await;
        page.wait_for("document.getElementById('saved').textContent === 'big.bin'")
            .await;
        assert!(
            saved_file(&saved, "big.bin") == big_bytes,
            "the bytes arrive as sent"
        );
        // An image, sent on submit, with its preview.
        page.goto(&server.url("/?manual")).await;
        page.wait_connected().await;
        page.set_files("#files", &[&png]).await;
        page.wait_for("document.querySelector('img[lv-preview]')?.naturalWidth === 1")
            .await;
        page.click("#save").await;
        page.wait_for("document.getElementById('saved').textContent === 'cat.png'")
            .await;
        assert_eq!(saved_file(&saved, "cat.png"), PNG);
        empties(&temp).await;
    })
    .await;
}

/// The scripts the page fetched, by URL.
const SCRIPTS: &str =
    "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.js'))";

#[tokio::test]
async fn the_upload_module_loads_only_on_a_page_with_uploads_in_chromium() {
    let s = setup().await;
    let counter = TestServer::start(demo_counter::app(leptos_live::LiveRouter::new())).await;
    within(60, "the upload module on demand", async {
        let mut browser = Browser::launch().await;
        // A page without an lv-upload input: joined, used, and patched, it never fetches it.
        let mut page = browser.open(&counter.url("/")).await;
        page.wait_connected().await;
        page.click("button[lv-click=inc]").await;
        page.wait_for("document.getElementById('count').textContent === '1'")
            .await;
        let scripts = page.eval(SCRIPTS).await;
        let names = scripts.to_string();
        assert!(names.contains("leptos-live-"), "the shim is listed: {names}");
        assert!(!names.contains("leptos-live-upload-"), "no upload module: {names}");
        assert_eq!(page.eval("typeof window.liveSocket.pick").await, "undefined");

        // The upload page fetches it once, before a file is picked, as its own long-cached asset.
        page.goto(&s.server.url("/")).await;
        page.wait_connected().await;
        page.wait_for("typeof window.liveSocket.pick === 'function'")
            .await;
        let module = page
            .eval(&format!("{SCRIPTS}.filter(n => n.includes('leptos-live-upload-'))"))
            .await;
        let urls = module.as_array().cloned().unwrap_or_default();
        assert_eq!(urls.len(), 1, "one upload module: {module}");
        let url = urls[0].as_str().unwrap_or_default().to_string();
        assert_eq!(
            url,
            page.eval("new URL(document.getElementById('lv-root').getAttribute('lv-upload-js'), location).href")
                .await
        );
        let cache = page
            .eval(&format!("fetch('{url}').then(r => r.headers.get('cache-control'))"))
            .await;
        assert_eq!(cache, "public, max-age=31536000, immutable");
    })
    .await;
}

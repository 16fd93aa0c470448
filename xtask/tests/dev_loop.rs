//! The edit loop end to end, on a copy of the counter in a workspace of its own: with the count
//! at 3 in Chromium, a template's text and a class change; the tab shows the new text, styled by
//! the new stylesheet, still at 3, with no document load. A build error then shows over the
//! page, which goes on working on the last good build, until the fix.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use leptos_live_tests::browser::Browser;
use leptos_live_tests::{http_get, within};

/// The project's workspace.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace")
}

/// A workspace at `dir` with one member, `counter`: the counter demo renamed `lv-dev-counter`,
/// using the project's engine and components by path, with the project's lockfile and build
/// settings (so that what is built already is reused).
fn copy_counter(dir: &Path) {
    let root = root();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("counter/src")).expect("dir");
    let mut manifest = String::new();
    for line in std::fs::read_to_string(root.join("Cargo.toml"))
        .expect("manifest")
        .lines()
    {
        if line.starts_with("default-members") {
            continue;
        }
        let mut line = line.to_string();
        if line.starts_with("members") {
            line = "members = [\"counter\"]".to_string();
        }
        for krate in ["engine", "components", "tailwind"] {
            if line.ends_with(&format!("{{ path = \"{krate}\" }}")) {
                let (name, _) = line.split_once('=').expect("a dependency");
                let at = root.join(krate).display().to_string();
                line = format!("{name}= {{ path = {at:?} }}");
            }
        }
        manifest.push_str(&line);
        manifest.push('\n');
    }
    // The engine and components are members at home, built without optimisation there.
    for krate in [
        "leptos_live",
        "leptos_live_components",
        "leptos_live_tailwind",
    ] {
        manifest.push_str(&format!("\n[profile.dev.package.{krate}]\nopt-level = 0\n"));
    }
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write");
    for file in ["Cargo.lock", "Leptos.toml"] {
        std::fs::copy(root.join(file), dir.join(file)).expect("copy");
    }
    let counter = root.join("demo-counter");
    let package = std::fs::read_to_string(counter.join("Cargo.toml")).expect("counter manifest");
    let package = package
        .replace("name = \"demo-counter\"", "name = \"lv-dev-counter\"")
        .split("[dev-dependencies]")
        .next()
        .expect("the manifest")
        .to_string()
        + "[build-dependencies]\nleptos_live_tailwind.workspace = true\n\n[lints]\nworkspace = true\n";
    std::fs::write(dir.join("counter/Cargo.toml"), package).expect("write");
    let build = std::fs::read_to_string(counter.join("build.rs")).expect("build.rs");
    let components = root.join("components/src").display().to_string();
    std::fs::write(
        dir.join("counter/build.rs"),
        build.replace("\"../components/src\"", &format!("{components:?}")),
    )
    .expect("write");
    for file in ["lib.rs", "gallery.rs", "main.rs"] {
        let text = std::fs::read_to_string(counter.join("src").join(file)).expect("source");
        std::fs::write(
            dir.join("counter/src").join(file),
            text.replace("demo_counter::", "lv_dev_counter::"),
        )
        .expect("write");
    }
}

/// Stops the loop and its server (its own process group) when the test ends, however it ends.
struct Group(u32);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.0)])
            .status();
    }
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).expect("write");
}

/// How long a rebuild of the copy may take.
const REBUILD: Duration = Duration::from_secs(600);

/// JS: the count shown.
const COUNT: &str = "document.getElementById('count').textContent";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_change_shows_in_the_open_tab_with_its_state() {
    let dir = std::env::temp_dir().join(format!("lv-dev-loop-{}", std::process::id()));
    copy_counter(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let lp = tokio::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["dev", "-p", "lv-dev-counter"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("LEPTOS_SITE_ADDR", addr.to_string())
        .env("RUST_LOG", "warn")
        .env_remove("LEPTOS_LIVE_SNAPSHOTS")
        .env_remove("LEPTOS_LIVE_SECRET")
        .stdout(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start the loop");
    let group = Group(lp.id().expect("the loop's pid"));

    // The first build may compile the engine with the counter's features: minutes on a cold
    // machine.
    within(900, "the first build and the server", async {
        loop {
            if tokio::net::TcpStream::connect(addr).await.is_ok()
                && http_get(addr, "/").await.0 == 200
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    })
    .await;
    let mut browser = Browser::launch().await;
    let mut page = browser.open(&format!("http://{addr}/")).await;
    page.wait_connected().await;
    page.wait_for("document.querySelector('script[src=\"/live/dev.js\"]')")
        .await;
    for n in 1..=3 {
        page.click("button[lv-click=inc]").await;
        page.wait_for(&format!("{COUNT} === '{n}'")).await;
    }
    page.eval("window.lvMark = 1").await;
    assert_eq!(
        page.eval("getComputedStyle(document.getElementById('count')).letterSpacing")
            .await,
        "normal"
    );

    // A new text, and a class the stylesheet has no rule for yet.
    let lib = dir.join("counter/src/lib.rs");
    edit(&lib, "\"Server time (UTC): \"", "\"Server clock (UTC): \"");
    edit(
        &lib,
        "<p id=\"count\" class=\"",
        "<p id=\"count\" class=\"tracking-widest ",
    );
    page.wait_up_to(
        REBUILD,
        &format!(
            "document.body.innerText.includes('Server clock (UTC)') && {COUNT} === '3' && window.lvMark === 1 && getComputedStyle(document.getElementById('count')).letterSpacing !== 'normal'"
        ),
    )
    .await;
    assert_eq!(
        page.eval("String(performance.getEntriesByType('navigation').length)")
            .await,
        "1"
    );

    // A build error: shown over the page, which runs on.
    edit(&lib, "pub mod gallery;", "pub mod gallery;\nfn broken( {}");
    page.wait_up_to(
        REBUILD,
        "(document.getElementById('lv-dev-error') || {}).textContent?.includes('error')",
    )
    .await;
    // Under the overlay, the page still runs on the last good build.
    page.eval("document.querySelector('button[lv-click=inc]').click()")
        .await;
    page.wait_for(&format!("{COUNT} === '4'")).await;
    edit(&lib, "pub mod gallery;\nfn broken( {}", "pub mod gallery;");
    page.wait_up_to(
        REBUILD,
        &format!(
            "!document.getElementById('lv-dev-error') && {COUNT} === '4' && window.lvMark === 1 && window.liveSocket.isConnected()"
        ),
    )
    .await;
    page.click("button[lv-click=inc]").await;
    page.wait_for(&format!("{COUNT} === '5'")).await;

    drop(browser);
    drop(group);
    let _ = std::fs::remove_dir_all(&dir);
}

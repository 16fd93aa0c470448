//! The chat passes an axe-core audit in Chromium (no serious or critical violation): the
//! nickname form, the lobby, a room with a message, and the dashboard the admin opens.

mod common;

use common::{ADMIN, ChatProcess, ONLINE, enter, post, remove_db, shows, temp_db};
use leptos_live_tests::axe;
use leptos_live_tests::browser::Browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_and_its_dashboard_pass_axe() {
    let db = temp_db("a11y");
    let chat = ChatProcess::start(&db, None, None).await;
    let mut browser = Browser::launch().await;
    let mut found = Vec::new();

    let mut page = browser.open(&chat.url("/")).await;
    page.wait_for("document.getElementById('nick-form')").await;
    found.extend(at("the nickname form", axe::violations(&mut page).await));

    let tab = enter(&mut browser, &chat.url("/"), ADMIN).await;
    let mut page = browser.page(&tab);
    page.wait_for("document.querySelector('a[href=\"/rooms/lobby\"]')")
        .await;
    found.extend(at("the lobby", axe::violations(&mut page).await));

    page.goto(&chat.url("/rooms/lobby")).await;
    page.wait_connected().await;
    page.wait_for(&format!("{ONLINE} === '{ADMIN}'")).await;
    post(&mut browser, &tab, "hello").await;
    let mut page = browser.page(&tab);
    page.wait_for(&shows("hello")).await;
    found.extend(at("a room", axe::violations(&mut page).await));

    page.goto(&chat.url("/admin")).await;
    page.wait_connected().await;
    page.wait_for(
        "document.getElementById('lv-dashboard') && document.querySelector('#pages tbody tr')",
    )
    .await;
    found.extend(at("the dashboard", axe::violations(&mut page).await));

    drop(browser);
    assert!(
        found.is_empty(),
        "axe-core {} finds serious or critical violations:\n{}",
        axe::VERSION,
        found.join("\n")
    );
    chat.kill().await;
    remove_db(&db);
}

/// `what: violation` for each violation.
fn at(what: &str, violations: Vec<String>) -> Vec<String> {
    violations
        .into_iter()
        .map(|v| format!("{what}: {v}"))
        .collect()
}

//! The counter and the components gallery driven as a user drives them, in-process with
//! `LiveTest`: clicks, the step form, the modal's keyboard and mouse paths, the sign-up form's
//! validation, tabs, the dropdown, the table and the streamed list.

use demo_counter::Counter;
use demo_counter::gallery::Gallery;
use leptos_live::ctx::Nav;
use leptos_live::testing::LiveTest;
use leptos_live::{LiveRouter, Session};
use serde_json::json;

fn router() -> LiveRouter {
    LiveRouter::new()
        .page::<Counter>("/")
        .page::<Gallery>("/components")
}

async fn gallery() -> LiveTest<Gallery> {
    LiveTest::get(&router(), "/components", Session::default())
        .await
        .expect("the gallery mounts")
}

#[tokio::test]
async fn the_counter_counts_by_its_step_and_links_to_the_gallery() {
    let router = router();
    let mut page = LiveTest::<Counter>::get(&router, "/?start=3", Session::default())
        .await
        .unwrap();
    assert_eq!(page.text("#count").as_deref(), Some("3"));
    page.click_text("button", "+").await.unwrap();
    page.click_text("button", "+").await.unwrap();
    assert_eq!(page.text("#count").as_deref(), Some("5"));
    page.change("form", json!({ "step": "10" })).await.unwrap();
    assert!(page.has_text("button", "+10"), "{}", page.html());
    page.click_text("button", "−").await.unwrap();
    assert_eq!(page.text("#count").as_deref(), Some("-5"));
    // An empty step while typing keeps the old one.
    page.change("form", json!({ "step": "" })).await.unwrap();
    assert!(page.has_text("button", "+10"));
    page.click_text("button", "Reset").await.unwrap();
    assert_eq!(page.text("#count").as_deref(), Some("0"));

    page.click_text("a", "The components").await.unwrap();
    let gallery = page.follow::<Gallery>(&router).await.unwrap();
    assert_eq!(gallery.text("h1").as_deref(), Some("Components"));
}

#[tokio::test]
async fn the_modal_opens_and_closes_by_keyboard_and_mouse_and_keeps_focus() {
    let mut page = gallery().await;
    assert!(!page.visible("#confirm"));

    // Open: the dialog shows and the focus moves to its first control (the close button).
    page.click("#open-modal").await.unwrap();
    assert!(page.visible("#confirm"));
    assert!(page.focused("#confirm-panel button[aria-label=Close]"));
    // Escape closes it and gives the focus back to the button that opened it.
    page.press("Escape").await.unwrap();
    assert!(!page.visible("#confirm"));
    assert!(page.focused("#open-modal"));

    // A click inside keeps it open; a click outside closes it.
    page.click("#open-modal").await.unwrap();
    page.click("#reason").await.unwrap();
    assert!(page.visible("#confirm"));
    page.click("#toggle-rows").await.unwrap();
    assert!(!page.visible("#confirm"));

    // Its close button and Cancel close it; Delete closes it and tells the server.
    for close in ["#confirm-panel button[aria-label=Close]", "#cancel-modal"] {
        page.click("#open-modal").await.unwrap();
        page.click(close).await.unwrap();
        assert!(!page.visible("#confirm"), "{close}");
    }
    assert_eq!(
        page.text("#confirmed").as_deref(),
        Some("Confirmed 0 times")
    );
    page.click("#open-modal").await.unwrap();
    page.click("#confirm-modal").await.unwrap();
    assert!(!page.visible("#confirm"));
    assert_eq!(
        page.text("#confirmed").as_deref(),
        Some("Confirmed 1 times")
    );
    assert!(page.focused("#open-modal"));
}

#[tokio::test]
async fn the_form_shows_errors_once_touched_and_signs_up_when_valid() {
    let mut page = gallery().await;
    assert!(
        !page.has("[role=alert]"),
        "no errors before a field is touched"
    );
    page.change("#signup", json!({ "email": "nope" }))
        .await
        .unwrap();
    assert_eq!(
        page.text("#email-errors").as_deref(),
        Some("must be an email address")
    );
    assert_eq!(page.attr("#email", "aria-invalid").as_deref(), Some("true"));
    assert!(!page.has("#name-errors"), "the name was not touched yet");

    // Submitting shows every error.
    page.click("#signup-submit").await.unwrap();
    assert!(page.has_text("#name-errors", "can't be blank"));
    assert!(page.has_text("#terms-errors", "must be accepted"));
    assert!(!page.has_text("#saved", "Welcome"));

    page.submit(
        "#signup",
        json!({ "name": "Ada", "email": "ada@example.com", "terms": "true" }),
    )
    .await
    .unwrap();
    assert_eq!(page.text("#saved").as_deref(), Some("Welcome, Ada!"));
    assert!(
        !page.has("[role=alert]:not(#flash-info)"),
        "{}",
        page.html()
    );
    assert!(page.has_text("#flash-group", "Signed up."));
}

#[tokio::test]
async fn tabs_pagination_and_the_dropdown_patch_the_page() {
    let mut page = gallery().await;
    assert!(page.has_text("#tab-panel", "Slow action"));
    page.click_text("[role=tab]", "badges").await.unwrap();
    assert!(page.has_text("#tab-panel", "draft"));
    assert_eq!(page.url(), "/components?tab=badges");
    assert_eq!(
        page.attr("[role=tab][aria-selected=true]", "href")
            .as_deref(),
        Some("/components?tab=badges")
    );

    page.click_text("a", "Next").await.unwrap();
    assert_eq!(page.text("#people td").as_deref(), Some("Alan Turing"));

    // The dropdown: its button shows the menu, a click away hides it, an item patches.
    assert!(!page.visible("#sort [role=menu]"));
    page.click("#sort button").await.unwrap();
    assert!(page.visible("#sort [role=menu]"));
    page.click("#open-modal").await.unwrap();
    assert!(!page.visible("#sort [role=menu]"));
    page.press("Escape").await.unwrap();
    page.click("#sort button").await.unwrap();
    page.click_text("#sort a", "Name").await.unwrap();
    assert!(page.has_text("#tab-panel", "Slow action"));

    // The header's plain link goes back to the counter with a full load.
    page.click_text("a", "Back to the counter").await.unwrap();
    assert!(
        matches!(page.navigated(), Some(Nav::Redirect { to, external: false }) if to == "/"),
        "{:?}",
        page.navigated()
    );
    let counter = page.follow::<Counter>(&router()).await.unwrap();
    assert_eq!(counter.text("#count").as_deref(), Some("0"));
}

#[tokio::test]
async fn the_table_empties_and_the_streamed_list_grows_in_the_browser() {
    let mut page = gallery().await;
    // The empty state is the stylesheet's to show, once the body has no rows.
    assert_eq!(page.count("#people tr"), 3);
    page.click("#toggle-rows").await.unwrap();
    assert_eq!(page.count("#people tr"), 0);
    assert!(page.has_text(".lv-empty", "Nobody here."));
    page.click("#toggle-rows").await.unwrap();
    assert_eq!(page.count("#people tr"), 3);

    page.click("#add-note").await.unwrap();
    page.click("#add-note").await.unwrap();
    assert_eq!(page.texts("#notes li[id^=note-]"), ["Note 1", "Note 2"]);
    page.click("#clear-notes").await.unwrap();
    assert_eq!(page.count("#notes li[id^=note-]"), 0);
}

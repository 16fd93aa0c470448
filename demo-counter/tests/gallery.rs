//! The components gallery at `/components` in Chromium: the modal opened and closed with the
//! keyboard and the mouse, with the focus kept inside while open and given back after; the form
//! whose errors show once a field is touched or the form submitted; the dropdown; the loading
//! state; the empty states of a table and of a streamed list; the lines between a table's rows.

use leptos_live::LiveRouter;
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::{TestServer, within};

const MODAL_SHOWN: &str = "getComputedStyle(document.getElementById('confirm')).display !== 'none'";
const FOCUS_INSIDE: &str =
    "document.getElementById('confirm-panel').contains(document.activeElement)";

async fn is(page: &mut Page<'_>, js: &str) -> bool {
    page.eval(&format!("!!({js})")).await == serde_json::json!(true)
}

#[tokio::test]
async fn the_gallery_works_from_the_keyboard_and_the_mouse() {
    let server = TestServer::start(demo_counter::app(LiveRouter::new())).await;
    within(90, "the components gallery in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/components")).await;
        page.wait_connected().await;
        assert!(!is(&mut page, MODAL_SHOWN).await, "the modal starts hidden");

        // The keyboard: Enter on the button opens it, with the focus inside.
        page.eval("document.getElementById('open-modal').focus()")
            .await;
        page.press("Enter", false).await;
        page.wait_for(MODAL_SHOWN).await;
        page.wait_for(FOCUS_INSIDE).await;
        // Tab goes round inside the dialog (four stops: close, reason, cancel, delete), forwards
        // and backwards.
        let focused =
            "document.activeElement.id || document.activeElement.getAttribute('aria-label')";
        let first = page.eval(focused).await;
        let mut seen = Vec::new();
        for _ in 0..8 {
            page.press("Tab", false).await;
            assert!(
                is(&mut page, FOCUS_INSIDE).await,
                "Tab kept the focus inside"
            );
            seen.push(page.eval(focused).await);
        }
        assert_eq!(
            seen[3], first,
            "after four stops the focus is back at the first: {seen:?}"
        );
        assert_eq!(seen[..4], seen[4..], "round and round: {seen:?}");
        let mut back = Vec::new();
        for _ in 0..4 {
            page.press("Tab", true).await;
            assert!(
                is(&mut page, FOCUS_INSIDE).await,
                "Shift-Tab kept the focus inside"
            );
            back.push(page.eval(focused).await);
        }
        assert_eq!(
            back[0], seen[2],
            "Shift-Tab from the first goes to the last: {back:?}"
        );
        // Escape closes it, and the focus goes back to the button that opened it.
        page.press("Escape", false).await;
        page.wait_for(&format!("!({MODAL_SHOWN})")).await;
        assert!(
            is(&mut page, "document.activeElement.id === 'open-modal'").await,
            "the focus went back"
        );
        // Escape on a closed dialog does nothing more.
        page.press("Escape", false).await;
        assert!(!is(&mut page, MODAL_SHOWN).await);

        // The mouse: a click opens it, a click outside its panel closes it.
        page.click("#open-modal").await;
        page.wait_for(MODAL_SHOWN).await;
        page.click_at(4.0, 4.0).await;
        page.wait_for(&format!("!({MODAL_SHOWN})")).await;
        assert!(is(&mut page, "document.activeElement.id === 'open-modal'").await);
        // Its confirm button closes it and tells the page.
        page.click("#open-modal").await;
        page.wait_for(MODAL_SHOWN).await;
        page.click("#confirm-modal").await;
        page.wait_for("document.getElementById('confirmed').textContent === 'Confirmed 1 times'")
            .await;
        assert!(!is(&mut page, MODAL_SHOWN).await);

        // The form: nothing shows until a field is touched; then that field's errors do.
        assert!(!is(&mut page, "document.getElementById('email-errors')").await);
        page.click("#email").await;
        page.type_text("ada").await;
        page.wait_for("document.getElementById('email-errors')")
            .await;
        assert!(
            is(
                &mut page,
                "document.getElementById('email').getAttribute('aria-invalid') === 'true'"
            )
            .await
        );
        assert!(
            !is(&mut page, "document.getElementById('name-errors')").await,
            "an untouched field shows no errors"
        );
        // A submit with errors shows every field's.
        page.click("#signup-submit").await;
        page.wait_for(
            "document.getElementById('name-errors') && document.getElementById('terms-errors')",
        )
        .await;
        // Fixed, it goes through. Each fix takes an error line away and moves what is below
        // it: the next click waits for the page to settle.
        page.click("#name").await;
        page.type_text("Ada").await;
        page.wait_for("!document.getElementById('name-errors')")
            .await;
        page.click("#email").await;
        page.type_text("@example.com").await;
        page.wait_for("!document.getElementById('email-errors')")
            .await;
        page.click("#terms").await;
        page.wait_for(
            "document.getElementById('terms').checked && !document.getElementById('terms-errors')",
        )
        .await;
        page.click("#signup-submit").await;
        page.wait_for("document.getElementById('saved').textContent === 'Welcome, Ada!'")
            .await;
        page.wait_for("document.getElementById('flash-info')").await;

        // The dropdown opens with its button and closes with Escape.
        page.click("#sort-button").await;
        page.wait_for("getComputedStyle(document.getElementById('sort-menu')).display !== 'none'")
            .await;
        assert!(
            is(
                &mut page,
                "document.getElementById('sort-button').getAttribute('aria-expanded') === 'true'"
            )
            .await
        );
        page.press("Escape", false).await;
        page.wait_for("getComputedStyle(document.getElementById('sort-menu')).display === 'none'")
            .await;

        // A button's event in flight: loading at once, but its spinner and dimming wait until it
        // is slow (100 ms), so that a quick reply shows no flash (the event takes 500 ms).
        let at_click = page
            .eval(
                "(() => { const b = document.getElementById('slow'); b.click(); \
                 return [b.classList.contains('lv-click-loading'), \
                 getComputedStyle(b.querySelector('.lv-spinner')).display, getComputedStyle(b).opacity]; })()",
            )
            .await;
        assert_eq!(at_click, serde_json::json!([true, "none", "1"]));
        page.wait_for("document.getElementById('slow').classList.contains('lv-click-slow')")
            .await;
        assert!(
            is(
                &mut page,
                "getComputedStyle(document.querySelector('#slow .lv-spinner')).display !== 'none' \
                 && getComputedStyle(document.getElementById('slow')).opacity === '0.7'"
            )
            .await
        );
        page.wait_for("!document.getElementById('slow').classList.contains('lv-click-loading')")
            .await;
        assert!(
            is(
                &mut page,
                "getComputedStyle(document.querySelector('#slow .lv-spinner')).display === 'none' \
                 && !document.getElementById('slow').classList.contains('lv-click-slow')"
            )
            .await
        );

        // Empty states: the table's when its rows go, the streamed list's until a note comes.
        let table_empty =
            "getComputedStyle(document.querySelector('#people + .lv-empty')).display !== 'none'";
        assert!(!is(&mut page, table_empty).await);
        page.click("#toggle-rows").await;
        page.wait_for(table_empty).await;
        let list_empty =
            "getComputedStyle(document.querySelector('#notes + .lv-empty')).display !== 'none'";
        assert!(is(&mut page, list_empty).await);
        page.click("#add-note").await;
        page.wait_for("document.getElementById('note-1')").await;
        assert!(!is(&mut page, list_empty).await);
        page.click("#clear-notes").await;
        page.wait_for(list_empty).await;
    })
    .await;
}

/// JS: the widths of the borders between the table's head and its rows, and between rows, as
/// Chromium draws them (`head|row 1|row 2|…|after the last`).
const TABLE_LINES: &str = "(() => { const px = (e, side) => getComputedStyle(e)['border' + side + 'Width']; const rows = [...document.querySelectorAll('#people tr')]; return [px(document.getElementById('people'), 'Top'), ...rows.map((r) => px(r, 'Top')), px(rows[rows.length - 1], 'Bottom')].join('|'); })()";

#[tokio::test]
async fn every_row_of_the_table_has_its_separator() {
    let server = TestServer::start(demo_counter::app(LiveRouter::new())).await;
    within(60, "the table's separators in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/components")).await;
        page.wait_connected().await;
        // A line under the head, one between each two rows, none after the last (the table's
        // own edge is there).
        assert_eq!(page.eval(TABLE_LINES).await, "1px|0px|1px|1px|0px");
    })
    .await;
}

//! `LiveTest` as a user drives a page: clicks, forms and keys found by CSS selectors, JS
//! commands run on its copy of the page, links and navigations followed, streams kept.

use axum::http::Uri;
use leptos::prelude::*;
use leptos_live::ctx::Nav;
use leptos_live::testing::LiveTest;
use leptos_live::{
    Ctx, FlashKind, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session, Stream,
};
use serde_json::json;

struct Board {
    count: i64,
    tab: String,
    last: String,
    form: String,
    lines: Stream<(u32, String)>,
    next: u32,
}

impl LiveView for Board {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Board {
            count: 0,
            tab: String::new(),
            last: String::new(),
            form: String::new(),
            lines: ctx
                .stream("lines", |l: &(u32, String)| format!("line-{}", l.0))
                .with_template(|id, l: &(u32, String)| view! { <li id=id>{l.1.clone()}</li> }),
            next: 1,
        })
    }

    async fn handle_params(
        &mut self,
        params: &Params,
        _: &Uri,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        self.tab = params.get("tab").unwrap_or("one").to_string();
        Ok(())
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let p = &raw.payload;
        match raw.name.as_str() {
            "inc" => self.count += p.get_str("by").and_then(|b| b.parse().ok()).unwrap_or(1),
            "key" => self.last = format!("key {}", p.get_str("key").unwrap_or("?")),
            "away" => self.last = "away".into(),
            "saved" => self.last = format!("saved {}", p.get_str("k").unwrap_or("?")),
            "validate" | "submit" => {
                self.form = format!(
                    "{} name={} plan={} terms={} target={}",
                    raw.name,
                    // A field sent as JSON null would show as `null`.
                    p.value().get("name").map_or("-".into(), |v| v
                        .as_str()
                        .map_or(v.to_string(), String::from)),
                    p.get_str("plan").unwrap_or("-"),
                    p.get_str("terms").unwrap_or("-"),
                    p.value()
                        .get("_target")
                        .map(|t| t.to_string())
                        .unwrap_or("-".into()),
                );
            }
            "ask" => {
                ctx.reply(json!({ "count": self.count }));
                ctx.push_event("asked", json!({ "n": 1 }));
            }
            "to_two" => ctx.push_patch("/board?tab=two"),
            "leave" => {
                ctx.put_flash(FlashKind::Info, "Left the board.");
                ctx.push_navigate("/other");
            }
            "line" => {
                let id = self.next;
                self.next += 1;
                self.lines.set_limit(Some(2));
                self.lines.insert((id, format!("Line {id}")));
            }
            "drop_first" => self.lines.delete_id("line-2"),
            "clear" => self.lines.reset(),
            "fail" => {
                self.count = -1;
                return Err(LiveError::msg("it failed"));
            }
            "boom" => panic!("boom"),
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let open = JS::new()
            .show("#menu")
            .add_class("#menu-button", "active")
            .set_attribute("#menu-button", "aria-expanded", "true")
            .push_focus(None)
            .focus_first("#menu");
        let close = JS::new()
            .hide("#menu")
            .remove_class("#menu-button", "active")
            .remove_attribute("#menu-button", "aria-expanded")
            .pop_focus();
        let save = JS::new().push_with("saved", json!({ "k": "v" }), None);
        view! {
            <p id="count">{self.count}</p>
            <p id="tab">{self.tab.clone()}</p>
            <p id="last">{self.last.clone()}</p>
            <p id="form">{self.form.clone()}</p>
            <button id="inc" lv-click="inc">"+1"</button>
            <button lv-click="inc" lv-value-by="10">"+10"</button>
            <button id="save" lv-click=save.to_string()>"Save"</button>
            <button id="menu-button" lv-click=open.to_string()>"Menu"</button>
            <div id="menu" style="display:none" lv-click-away=close.to_string() lv-window-keydown=close.to_string() lv-key="Escape">
                <span>"Not focusable"</span>
                <a id="first-link" href="/board?tab=two" lv-patch>"Two"</a>
                <button id="toggle" lv-click=JS::new().toggle_class("#count", "big").toggle_attribute("#count", "data-on", "yes", None).to_string()>"Toggle"</button>
            </div>
            <a id="away" href="/other" lv-navigate>"Elsewhere"</a>
            <input id="k" lv-keydown="key" lv-key="Enter" />
            <form id="signup" lv-change="validate" lv-submit="submit">
                <input name="name" value="ada" />
                <select name="plan"><option value="free">"Free"</option><option value="team" selected>"Team"</option></select>
                <input type="checkbox" name="terms" value="yes" />
                <textarea name="bio">"hi"</textarea>
                <button id="go">"Go"</button>
            </form>
            <ul id="lines" lv-stream="lines">{self.lines.render()}</ul>
        }
    }
}

struct Other(String);

impl LiveView for Other {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let flash = ctx
            .flash()
            .get(FlashKind::Info)
            .unwrap_or("none")
            .to_string();
        Ok(Other(flash))
    }

    fn render(&self) -> impl IntoView {
        view! { <h1>"Other"</h1><p id="flash">{self.0.clone()}</p> }
    }
}

fn router() -> LiveRouter {
    LiveRouter::new()
        .page::<Board>("/board")
        .page::<Other>("/other")
}

async fn board() -> LiveTest<Board> {
    LiveTest::get(&router(), "/board", Session::default())
        .await
        .expect("the board mounts")
}

#[tokio::test]
async fn clicks_find_their_binding_and_send_the_values() {
    let mut page = board().await;
    assert_eq!(page.text("#count").as_deref(), Some("0"));
    let ops = page.click("#inc").await.unwrap();
    assert_eq!(ops.len(), 1, "one text changed: {ops:?}");
    page.click_text("button", "+10").await.unwrap();
    assert_eq!(page.text("#count").as_deref(), Some("11"));
    // Bindings are found from inner elements, as a bubbling click finds them.
    assert!(page.click("#nothing").await.is_err());
    assert!(page.click_text("button", "+100").await.is_err());
    // A JS push carries its value.
    page.click("#save").await.unwrap();
    assert_eq!(page.text("#last").as_deref(), Some("saved v"));
}

#[tokio::test]
async fn js_commands_change_the_page_and_outlast_patches() {
    let mut page = board().await;
    assert!(!page.visible("#menu") && !page.visible("#first-link"));
    page.click("#menu-button").await.unwrap();
    assert!(page.visible("#menu") && page.visible("#first-link"));
    assert_eq!(
        page.attr("#menu-button", "aria-expanded").as_deref(),
        Some("true")
    );
    assert!(page.has("#menu-button.active"));
    // focus_first skips what takes no focus; push_focus kept the button that opened it.
    assert!(page.focused("#first-link"));
    // A server patch keeps what the commands did.
    page.event("inc", json!({})).await.unwrap();
    assert!(page.visible("#menu") && page.has("#menu-button.active"));
    page.click("#toggle").await.unwrap();
    assert!(page.has("#count.big[data-on=yes]"));
    page.click("#toggle").await.unwrap();
    assert!(!page.has("#count.big") && !page.has("#count[data-on]"));
    // Escape reaches shown window bindings: the menu closes and the focus goes back.
    page.press("Tab").await.unwrap();
    assert!(page.visible("#menu"), "lv-key filters other keys");
    page.press("Escape").await.unwrap();
    assert!(!page.visible("#menu"));
    assert!(!page.has("#menu-button.active") && !page.has("#menu-button[aria-expanded]"));
    assert!(page.focused("#menu-button"));
    // A hidden element hears neither the window nor a click away.
    page.click("#inc").await.unwrap();
    page.press("Escape").await.unwrap();
    assert!(!page.visible("#menu"));
    // Open again; a click outside closes it, a click inside does not.
    page.click("#menu-button").await.unwrap();
    page.click("#toggle").await.unwrap();
    assert!(page.visible("#menu"));
    page.click("#inc").await.unwrap();
    assert!(!page.visible("#menu"));
    assert_eq!(page.text("#count").as_deref(), Some("3"));
}

#[tokio::test]
async fn keys_reach_bindings_that_listen_for_them() {
    let mut page = board().await;
    page.keydown("#k", "a").await.unwrap();
    assert_eq!(page.text("#last").as_deref(), Some(""));
    page.keydown("#k", "Enter").await.unwrap();
    assert_eq!(page.text("#last").as_deref(), Some("key Enter"));
}

#[tokio::test]
async fn forms_send_their_fields_with_what_was_typed() {
    let mut page = board().await;
    page.change("#signup", json!({ "name": "grace" }))
        .await
        .unwrap();
    assert_eq!(
        page.text("#form").as_deref(),
        Some(r#"validate name=grace plan=team terms=- target="name""#)
    );
    // A null clears a field, as emptying it does.
    page.change("#signup", json!({ "name": null }))
        .await
        .unwrap();
    assert_eq!(
        page.text("#form").as_deref(),
        Some(r#"validate name=- plan=team terms=- target="name""#)
    );
    page.submit("#signup", json!({ "terms": "yes" }))
        .await
        .unwrap();
    assert_eq!(
        page.text("#form").as_deref(),
        Some(r#"submit name=ada plan=team terms=yes target=-"#)
    );
    // A submit button submits its form.
    page.click("#go").await.unwrap();
    assert_eq!(
        page.text("#form").as_deref(),
        Some(r#"submit name=ada plan=team terms=- target=-"#)
    );
}

#[tokio::test]
async fn links_and_patches_run_handle_params_and_move_the_url() {
    let mut page = board().await;
    assert_eq!(page.text("#tab").as_deref(), Some("one"));
    page.click("#menu-button").await.unwrap();
    page.click("#first-link").await.unwrap();
    assert_eq!(page.text("#tab").as_deref(), Some("two"));
    assert_eq!(page.url(), "/board?tab=two");
    page.params(Params::default(), "/board").await.unwrap();
    assert_eq!(page.text("#tab").as_deref(), Some("one"));
    page.event("to_two", json!({})).await.unwrap();
    assert_eq!(
        (page.text("#tab").as_deref(), page.url()),
        (Some("two"), "/board?tab=two")
    );
    assert!(page.navigated().is_none());
}

#[tokio::test]
async fn navigations_are_followed_to_the_next_page_with_their_flash() {
    let router = router();
    let mut page = LiveTest::<Board>::get(&router, "/board", Session::default())
        .await
        .unwrap();
    page.event("leave", json!({})).await.unwrap();
    assert_eq!(
        page.navigated(),
        Some(&Nav::Navigate {
            to: "/other".into(),
            replace: false
        })
    );
    let other = page.follow::<Other>(&router).await.unwrap();
    assert_eq!(other.text("h1").as_deref(), Some("Other"));
    assert_eq!(other.text("#flash").as_deref(), Some("Left the board."));
    assert!(
        page.follow::<Other>(&router).await.is_err(),
        "followed once"
    );
    // An lv-navigate link goes there too.
    page.click("#away").await.unwrap();
    let other = page.follow::<Other>(&router).await.unwrap();
    assert_eq!(other.text("#flash").as_deref(), Some("none"));
}

#[tokio::test]
async fn replies_and_pushed_events_reach_the_test() {
    let mut page = board().await;
    page.click("#inc").await.unwrap();
    page.event("ask", json!({})).await.unwrap();
    assert_eq!(page.take_reply(), Some(json!({ "count": 1 })));
    assert_eq!(
        page.take_events(),
        vec![("asked".to_string(), json!({ "n": 1 }))]
    );
    assert_eq!(page.take_events(), vec![]);
}

#[tokio::test]
async fn stream_items_live_in_the_browser_not_on_the_server() {
    let mut page = board().await;
    for _ in 0..3 {
        page.event("line", json!({})).await.unwrap();
    }
    // The limit keeps the last two.
    assert_eq!(page.texts("#lines li"), ["Line 2", "Line 3"]);
    assert!(
        !page.server_html().contains("Line"),
        "{}",
        page.server_html()
    );
    page.click("#inc").await.unwrap();
    assert_eq!(page.count("#lines li"), 2, "a patch keeps them");
    page.event("drop_first", json!({})).await.unwrap();
    assert_eq!(page.texts("#lines li"), ["Line 3"]);
    page.event("clear", json!({})).await.unwrap();
    assert!(!page.has("#lines li"));
}

#[tokio::test]
async fn errors_come_back_and_a_crash_ends_the_page() {
    let mut page = board().await;
    assert!(matches!(
        page.event("nope", json!({})).await,
        Err(LiveError::UnknownEvent(_))
    ));
    let err = page.event("fail", json!({})).await.unwrap_err();
    assert_eq!(err.to_string(), "it failed");
    assert_eq!(
        page.text("#count").as_deref(),
        Some("-1"),
        "what it changed shows"
    );
    let err = page.event("boom", json!({})).await.unwrap_err();
    assert!(err.to_string().contains("boom"), "{err}");
    assert!(page.click("#inc").await.is_err(), "the page ended");
}

#[tokio::test]
async fn a_url_of_another_page_does_not_mount() {
    assert!(
        LiveTest::<Board>::get(&router(), "/other", Session::default())
            .await
            .is_err()
    );
}

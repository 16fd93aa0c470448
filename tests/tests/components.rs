//! `LiveComponent`s: separate state per instance, targeted events, renders only when props
//! change, state dropped with the component, `send_update` from another task; in-process and in
//! Chromium.

use std::cell::Cell;

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::{
    ComponentMount, Ctx, FlashKind, LiveComponent, LiveConfig, LiveError, LiveRouter, LiveView,
    Params, Session, live_component,
};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};
use proptest::prelude::*;
use serde_json::json;

/// A counter with a label from its page and a count of its own.
struct Counter {
    label: String,
    count: i64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum CounterEvent {
    Inc {
        by: Option<i64>,
    },
    Tell,
    /// Counts up by 100 after a while, off the page's task.
    Later,
    /// Counts up and puts a flash, which the page shows: the page renders too.
    Flash,
}

impl LiveComponent for Counter {
    type Page = Board;
    type Props = String;
    type Event = CounterEvent;

    fn mount(label: &String, _: &mut ComponentMount<'_>) -> Self {
        Counter {
            label: label.clone(),
            count: 0,
        }
    }

    fn update(&mut self, label: String) {
        self.label = label;
    }

    async fn handle_event(
        &mut self,
        event: CounterEvent,
        ctx: &mut Ctx<Board>,
    ) -> Result<(), LiveError> {
        match event {
            CounterEvent::Inc { by } => self.count += by.unwrap_or(1),
            // A component tells its page.
            CounterEvent::Tell => {
                let _ = ctx
                    .handle()
                    .send(format!("{} is at {}", self.label, self.count));
            }
            CounterEvent::Flash => {
                self.count += 1;
                ctx.put_flash(FlashKind::Info, format!("{} flashed", self.label));
            }
            CounterEvent::Later => {
                let id = ctx.component_id().unwrap_or_default().to_string();
                ctx.start_async_in::<Counter, _, _, _>(
                    &id,
                    "later",
                    async {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        100
                    },
                    |me, outcome, _| {
                        me.count += outcome.unwrap_or(0);
                        Ok(())
                    },
                );
            }
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <div class="counter">
                <span class="label">{self.label.clone()}</span>
                " "
                <span class="count">{self.count}</span>
                <button class="inc" lv-click="inc" lv-target>"+"</button>
                <button class="tell" lv-click="tell" lv-target>"tell"</button>
            </div>
        }
    }
}

struct Board {
    labels: Vec<(String, String)>,
    heard: String,
    ticks: u64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum BoardEvent {
    Rename {
        id: String,
        label: String,
    },
    Drop {
        id: String,
    },
    Add {
        id: String,
    },
    Tick,
    /// Changes nothing: the page renders, and a render equal to what the client has sends nothing.
    Nothing,
}

thread_local! {
    /// How many times a `Board` rendered on this thread (each test runs on its own).
    static BOARD_RENDERS: Cell<u64> = const { Cell::new(0) };
}

impl LiveView for Board {
    type Message = String;
    type Event = BoardEvent;

    async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let n: usize = p.get("n").and_then(|n| n.parse().ok()).unwrap_or(2);
        let mut labels: Vec<(String, String)> = (0..n)
            .map(|i| {
                let id = ((b'a' + (i % 26) as u8) as char).to_string() + &(i / 26).to_string();
                (id.clone(), format!("counter {id}"))
            })
            .collect();
        // A page that breaks the rule that ids are unique: the first counter twice.
        if p.get("twice").is_some() && !labels.is_empty() {
            labels.push(labels[0].clone());
        }
        Ok(Board {
            labels,
            heard: String::new(),
            ticks: 0,
        })
    }

    async fn handle_event(
        &mut self,
        event: BoardEvent,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        match event {
            BoardEvent::Rename { id, label } => {
                if let Some(entry) = self.labels.iter_mut().find(|(i, _)| *i == id) {
                    entry.1 = label;
                }
            }
            BoardEvent::Drop { id } => self.labels.retain(|(i, _)| *i != id),
            // Ids are unique within a page: one already shown is not added twice.
            BoardEvent::Add { id } => {
                if !self.labels.iter().any(|(i, _)| *i == id) {
                    self.labels.push((id.clone(), format!("counter {id}")));
                }
            }
            BoardEvent::Tick => self.ticks += 1,
            BoardEvent::Nothing => {}
        }
        Ok(())
    }

    async fn handle_info(&mut self, msg: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.heard = msg;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        BOARD_RENDERS.with(|n| n.set(n.get() + 1));
        let flash = leptos_live::flash::flash()
            .get(FlashKind::Info)
            .map(str::to_string)
            .unwrap_or_default();
        let counters = self
            .labels
            .iter()
            .map(|(id, label)| live_component::<Counter>(id.clone(), label.clone()))
            .collect_view();
        view! {
            <p id="ticks">{self.ticks}</p>
            <p id="heard">{self.heard.clone()}</p>
            <p id="flash">{flash}</p>
            <button id="bump-b" lv-click="inc" lv-target="b0" lv-value-by="10">"b + 10"</button>
            <section id="counters">{counters}</section>
            // The page's own HTML after its components too: a tick changes both ends.
            <p id="tail">{self.ticks}</p>
        }
    }
}

async fn board(n: usize) -> LiveTest<Board> {
    LiveTest::mount(
        Params::from_pairs([("n", n.to_string())]),
        Session::default(),
    )
    .await
    .expect("mount the board")
}

fn count_of(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("lv-component=\"{id}\""))
        .unwrap_or_else(|| panic!("no component {id} in {html}"));
    let rest = &html[at..];
    let start = rest.find("class=\"count\">").map(|i| i + 14).unwrap_or(0);
    rest[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn instances_keep_separate_state_and_take_targeted_events() {
    let mut page = board(2).await;
    page.event_to("a0", "inc", json!({})).await.expect("inc a");
    page.event_to("a0", "inc", json!({})).await.expect("inc a");
    page.event_to("b0", "inc", json!({ "by": "5" }))
        .await
        .expect("inc b");
    assert_eq!(count_of(&page.html(), "a0"), "2");
    assert_eq!(count_of(&page.html(), "b0"), "5");
    // A component's events are its own: the page does not know them, and a bad one is typed.
    assert!(page.event("tell", json!({})).await.is_err());
    assert!(matches!(
        page.event_to("a0", "inc", json!({ "by": "many" })).await,
        Err(LiveError::BadPayload(_))
    ));
    assert!(matches!(
        page.event_to("zz", "inc", json!({})).await,
        Err(LiveError::UnknownEvent(_))
    ));
    // A component tells its page.
    page.event_to("b0", "tell", json!({})).await.expect("tell");
    page.drain_info().await.expect("info");
    assert!(
        page.html().contains("counter b0 is at 5"),
        "{}",
        page.html()
    );
}

#[tokio::test]
async fn only_components_whose_props_changed_render_again() {
    let mut page = board(3).await;
    let renders = page.component_renders();
    assert_eq!(renders, 3, "each rendered once at mount");
    // The page changes something else: no component renders.
    let ops = page.event("tick", json!({})).await.expect("tick");
    assert_eq!(page.component_renders(), renders);
    assert_eq!(
        ops.len(),
        2,
        "the tick above the components and below: {ops:?}"
    );
    // New props for one: only that one renders.
    page.event("rename", json!({ "id": "b0", "label": "bee" }))
        .await
        .expect("rename");
    assert_eq!(page.component_renders(), renders + 1);
    assert!(page.html().contains(">bee<"));
    // An event for one: only that one renders.
    page.event_to("c0", "inc", json!({})).await.expect("inc");
    assert_eq!(page.component_renders(), renders + 2);
}

fn board_renders() -> u64 {
    BOARD_RENDERS.with(Cell::get)
}

/// The client's page and the server's are the same tree, and a whole render of the page now
/// sends nothing: what the server keeps is what a whole render gives.
async fn in_step(page: &mut LiveTest<Board>) {
    let client = leptos_live::html::parse_fragment(&page.html());
    let server = leptos_live::html::parse_fragment(&page.server_html());
    assert_eq!(client, server, "the client's page is the server's");
    let ops = page.event("nothing", json!({})).await.expect("nothing");
    assert!(
        ops.is_empty(),
        "a whole render finds nothing to send: {ops:?}"
    );
}

#[tokio::test]
async fn a_targeted_event_renders_the_component_alone() {
    let mut page = board(3).await;
    let (pages, components) = (board_renders(), page.component_renders());
    let ops = page.event_to("b0", "inc", json!({})).await.expect("inc");
    assert_eq!(board_renders(), pages, "the page did not render");
    assert_eq!(page.component_renders(), components + 1, "b0 did");
    assert_eq!(ops.len(), 1, "the count alone: {ops:?}");
    assert_eq!(count_of(&page.html(), "b0"), "1");
    assert_eq!(count_of(&page.html(), "a0"), "0");
    in_step(&mut page).await;
    assert_eq!(
        board_renders(),
        pages + 1,
        "the page rendered for its own event"
    );

    // A component that changes what the page shows (here its flash) has the page render too.
    let pages = board_renders();
    page.event_to("c0", "flash", json!({}))
        .await
        .expect("flash");
    assert_eq!(board_renders(), pages + 1);
    assert!(page.has_text("#flash", "counter c0 flashed"));
    assert_eq!(count_of(&page.html(), "c0"), "1");
    in_step(&mut page).await;

    // A component whose last HTML the page no longer shows as it was (new props waiting) is
    // rendered with the page.
    page.ctx().send_update::<Counter>("a0", "ay".to_string());
    let pages = board_renders();
    page.event_to("b0", "inc", json!({})).await.expect("inc");
    assert_eq!(
        board_renders(),
        pages + 1,
        "two components changed: the page renders"
    );
    assert!(page.html().contains(">ay<"));
    in_step(&mut page).await;
}

#[tokio::test]
async fn a_component_shown_twice_renders_with_the_page() {
    let mut page = LiveTest::<Board>::mount(
        Params::from_pairs([("n", "2"), ("twice", "1")]),
        Session::default(),
    )
    .await
    .expect("mount");
    let pages = board_renders();
    page.event_to("a0", "inc", json!({ "by": "4" }))
        .await
        .expect("inc");
    assert_eq!(
        board_renders(),
        pages + 1,
        "no one place to patch: the page renders"
    );
    assert_eq!(
        page.html()
            .matches("<span class=\"count\">4</span>")
            .count(),
        2
    );
    in_step(&mut page).await;
}

/// What happens to the board between two looks.
#[derive(Clone, Debug)]
enum Step {
    Inc(usize, i64),
    Flash(usize),
    Tick,
    Rename(usize, String),
    Drop(usize),
    Add(usize),
    Update(usize, String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..5usize, -3..30i64).prop_map(|(k, by)| Step::Inc(k, by)),
        1 => (0..5usize).prop_map(Step::Flash),
        1 => Just(Step::Tick),
        1 => (0..5usize, "[a-z<&> ]{0,6}").prop_map(|(k, l)| Step::Rename(k, l)),
        1 => (0..5usize).prop_map(Step::Drop),
        1 => (0..5usize).prop_map(Step::Add),
        1 => (0..5usize, "[a-z]{0,4}").prop_map(|(k, l)| Step::Update(k, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48),
    ))]

    /// A page of components, after any sequence of page events, targeted events and updates,
    /// has the client's page equal to a whole render of the server's: whether the page diffed
    /// whole (components added or dropped) or skipped its unchanged components and spliced in
    /// each stretch that changed (a tick changes the page above and below them).
    #[test]
    fn components_patch_to_what_a_whole_render_gives(steps in prop::collection::vec(step(), 1..16)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let mut page = board(3).await;
            let id = |k: usize| ((b'a' + k as u8) as char).to_string() + "0";
            for step in steps {
                let _ = match step {
                    Step::Inc(k, by) => page.event_to(&id(k), "inc", json!({ "by": by.to_string() })).await,
                    Step::Flash(k) => page.event_to(&id(k), "flash", json!({})).await,
                    Step::Tick => page.event("tick", json!({})).await,
                    Step::Rename(k, label) => page.event("rename", json!({ "id": id(k), "label": label })).await,
                    Step::Drop(k) => page.event("drop", json!({ "id": id(k) })).await,
                    Step::Add(k) => page.event("add", json!({ "id": id(k) })).await,
                    // New props from a callback: the page's next render shows them.
                    Step::Update(k, label) => {
                        page.ctx().send_update::<Counter>(&id(k), label);
                        page.event("nothing", json!({})).await
                    }
                };
                let client = leptos_live::html::parse_fragment(&page.html());
                let server = leptos_live::html::parse_fragment(&page.server_html());
                prop_assert_eq!(client, server);
            }
            in_step(&mut page).await;
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn a_component_left_out_is_dropped_and_comes_back_fresh() {
    let mut page = board(2).await;
    page.event_to("b0", "inc", json!({ "by": "7" }))
        .await
        .expect("inc");
    page.event("drop", json!({ "id": "b0" }))
        .await
        .expect("drop");
    assert!(!page.html().contains("lv-component=\"b0\""));
    assert!(
        page.event_to("b0", "inc", json!({})).await.is_err(),
        "its state is gone"
    );
    page.event("add", json!({ "id": "b0" })).await.expect("add");
    assert_eq!(count_of(&page.html(), "b0"), "0", "mounted afresh");
}

#[tokio::test]
async fn a_component_starts_work_and_gets_its_outcome() {
    let mut page = board(2).await;
    page.event_to("b0", "later", json!({}))
        .await
        .expect("later");
    page.event_to("b0", "inc", json!({}))
        .await
        .expect("inc meanwhile");
    page.next_async().await.expect("the work").expect("applied");
    assert_eq!(count_of(&page.html(), "b0"), "101");
    assert_eq!(count_of(&page.html(), "a0"), "0");
}

#[tokio::test]
async fn send_update_reaches_a_component_from_another_task() {
    let mut page = board(2).await;
    let handle = page.ctx().handle();
    tokio::spawn(async move {
        handle
            .send_update::<Counter>("a0", "from a task".to_string())
            .expect("the page runs");
    });
    page.next_async()
        .await
        .expect("the update")
        .expect("applied");
    assert!(page.html().contains(">from a task<"), "{}", page.html());
    assert_eq!(
        count_of(&page.html(), "a0"),
        "0",
        "state kept, props replaced"
    );
}

/// With a hundred components, changing one sends what changed in it alone.
#[tokio::test]
async fn a_change_in_one_of_a_hundred_sends_that_change_alone() {
    let mut page = board(100).await;
    let renders = page.component_renders();
    let ops = page.event_to("q2", "inc", json!({})).await.expect("inc");
    assert_eq!(page.component_renders(), renders + 1);
    let mut wire = String::new();
    leptos_live::diff::write_ops(&ops, &mut wire);
    assert_eq!(ops.len(), 1, "{wire}");
    assert!(wire.ends_with(r#","1"]]"#) && wire.len() < 30, "{wire}");
}

#[tokio::test]
async fn targeted_events_in_chromium() {
    let app = LiveRouter::with_config(LiveConfig::default())
        .page::<Board>("/")
        .into_router();
    let server = TestServer::start(app).await;
    within(60, "components in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        let count = |id: &str| {
            format!("document.querySelector('[lv-component=\"{id}\"] .count').textContent")
        };
        page.click("[lv-component=a0] .inc").await;
        page.click("[lv-component=a0] .inc").await;
        page.wait_for(&format!("{} === '2'", count("a0"))).await;
        assert_eq!(page.eval(&count("b0")).await, json!("0"));
        // lv-target with an id, from outside the component.
        page.click("#bump-b").await;
        page.wait_for(&format!("{} === '10'", count("b0"))).await;
        assert_eq!(page.eval(&count("a0")).await, json!("2"));
        page.click("[lv-component=b0] .tell").await;
        page.wait_for("document.getElementById('heard').textContent === 'counter b0 is at 10'")
            .await;
    })
    .await;
}

/// A component with a stream of its own.
struct Log {
    lines: leptos_live::Stream<(u32, String)>,
    next: u32,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum LogEvent {
    Add { text: String },
}

impl LiveComponent for Log {
    type Page = LogPage;
    type Props = ();
    type Event = LogEvent;

    fn mount(_: &(), mount: &mut ComponentMount<'_>) -> Self {
        let mut lines = mount.stream("log-lines", |l: &(u32, String)| format!("line-{}", l.0));
        lines.insert((1, "first".into()));
        lines.insert((2, "second".into()));
        Log { lines, next: 3 }
    }

    fn update(&mut self, _: ()) {}

    async fn handle_event(
        &mut self,
        LogEvent::Add { text }: LogEvent,
        _: &mut Ctx<LogPage>,
    ) -> Result<(), LiveError> {
        self.lines.insert((self.next, text));
        self.next += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <div>
                <ul id="log" lv-stream="log-lines">
                    {self.lines.each(|id, l| view! { <li id=id>{l.1.clone()}</li> })}
                </ul>
                <form lv-submit="add" lv-target><input name="text"/><button>"add"</button></form>
            </div>
        }
    }
}

struct LogPage;

impl LiveView for LogPage {
    type Message = ();
    type Event = leptos_live::RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(LogPage)
    }

    fn render(&self) -> impl IntoView {
        view! { <main>{live_component::<Log>("log", ())}</main> }
    }
}

#[tokio::test]
async fn streams_work_inside_components() {
    let mut page = LiveTest::<LogPage>::mount(Params::default(), Session::default())
        .await
        .expect("mount");
    assert!(
        page.html()
            .contains(r#"<li id="line-1">first</li><li id="line-2">second</li>"#),
        "{}",
        page.html()
    );
    let ops = page
        .event_to("log", "add", json!({ "text": "third" }))
        .await
        .expect("add");
    assert!(ops.is_empty(), "the page's HTML is as it was: {ops:?}");
    assert_eq!(
        page.take_stream_ops(),
        [json!([
            "log-lines",
            "i",
            -1,
            0,
            [["line-3", r#"<li id="line-3">third</li>"#]]
        ])]
    );

    let app = LiveRouter::new().page::<LogPage>("/").into_router();
    let server = TestServer::start(app).await;
    within(60, "a component's stream in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        page.eval("document.querySelector('#log + form input').value = 'typed'")
            .await;
        page.click("#log + form button").await;
        page.wait_for("[...document.querySelectorAll('#log li')].map(l => l.textContent).join() === 'first,second,typed'")
            .await;
    })
    .await;
}

/// A component that renders another: refused (components do not nest yet), never a hang.
struct Outer;

impl LiveComponent for Outer {
    type Page = NestPage;
    type Props = ();
    type Event = CounterEvent;

    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        Outer
    }

    fn update(&mut self, _: ()) {}

    fn render(&self) -> impl IntoView {
        view! { <div>{live_component::<Outer>("inner", ())}</div> }
    }
}

struct NestPage;

impl LiveView for NestPage {
    type Message = ();
    type Event = leptos_live::RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(NestPage)
    }

    fn render(&self) -> impl IntoView {
        view! { <main>{live_component::<Outer>("outer", ())}</main> }
    }
}

#[tokio::test]
async fn a_component_inside_a_component_is_refused_not_hung() {
    let page = within(10, "a nested component", async {
        LiveTest::<NestPage>::mount(Params::default(), Session::default())
            .await
            .expect("mount")
    })
    .await;
    assert!(
        page.html().contains(r#"data-error="nested component""#),
        "{}",
        page.html()
    );
    assert!(page.html().contains(r#"lv-component="outer""#));
}

//! Components benchmark: prints figures, asserts nothing.
//!
//! A page of 100 rows, one changed per event. With `LiveComponent`s the changed row alone
//! renders again (the other 99 reuse their HTML); with function components the whole page
//! renders. Both then reparse around the change, diff and encode. Reports the server time per
//! event (median and p99) and the reply's bytes, which must be those of the change alone.
//!
//! Run with `cargo bench -p leptos-live-tests --bench components`.

use std::time::{Duration, Instant};

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::wire::protocol::patch_frame;
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session,
    live_component,
};
use leptos_live_tests::percentile;

const ROWS: usize = 100;

fn row_view(i: usize, label: &str, count: i64) -> impl IntoView + use<> {
    view! {
        <tr class="border-b border-slate-100 hover:bg-slate-50">
            <td class="px-3 py-2 font-mono text-slate-500">{i}</td>
            <td class="px-3 py-2 font-medium text-slate-900">{label.to_string()}</td>
            <td class="px-3 py-2 text-right tabular-nums">{count}</td>
            <td class="px-3 py-2"><button class="rounded bg-indigo-600 px-2 text-white" lv-click="inc" lv-target>"+1"</button></td>
        </tr>
    }
}

/// One row as a component: its count is its own.
struct Row {
    i: usize,
    label: String,
    count: i64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum RowEvent {
    Inc,
}

impl LiveComponent for Row {
    type Page = Table;
    type Props = (usize, String);
    type Event = RowEvent;

    fn mount((i, label): &(usize, String), _: &mut ComponentMount<'_>) -> Self {
        Row {
            i: *i,
            label: label.clone(),
            count: 0,
        }
    }

    fn update(&mut self, (i, label): (usize, String)) {
        (self.i, self.label) = (i, label);
    }

    async fn handle_event(
        &mut self,
        RowEvent::Inc: RowEvent,
        _: &mut Ctx<Table>,
    ) -> Result<(), LiveError> {
        self.count += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        row_view(self.i, &self.label, self.count)
    }
}

/// The page of components.
struct Table {
    labels: Vec<String>,
}

impl LiveView for Table {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Table {
            labels: (0..ROWS).map(|i| format!("row number {i}")).collect(),
        })
    }

    fn render(&self) -> impl IntoView {
        let rows = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| live_component::<Row>(format!("r{i}"), (i, l.clone())))
            .collect_view();
        view! { <table class="w-full text-sm"><tbody>{rows}</tbody></table> }
    }
}

/// The same page with function components: the page holds the counts and renders every row.
struct PlainTable {
    labels: Vec<String>,
    counts: Vec<i64>,
}

impl LiveView for PlainTable {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(PlainTable {
            labels: (0..ROWS).map(|i| format!("row number {i}")).collect(),
            counts: vec![0; ROWS],
        })
    }

    async fn handle_event(&mut self, e: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        let i: usize = e.payload.parse("row")?;
        if let Some(c) = self.counts.get_mut(i) {
            *c += 1;
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let rows = self
            .labels
            .iter()
            .zip(&self.counts)
            .enumerate()
            .map(|(i, (l, c))| row_view(i, l, *c))
            .collect_view();
        view! { <table class="w-full text-sm"><tbody>{rows}</tbody></table> }
    }
}

fn report(what: &str, mut times: Vec<Duration>, bytes: usize, renders: Option<u64>) {
    times.sort();
    println!(
        "| {what} | {:.1} µs | {:.1} µs | {bytes} B | {} |",
        percentile(&times, 0.5).expect("timed runs").as_secs_f64() * 1e6,
        percentile(&times, 0.99).expect("timed runs").as_secs_f64() * 1e6,
        renders.map_or("100 rows (the page)".to_string(), |r| format!(
            "{r} component per event"
        )),
    );
}

const EVENTS: usize = 5_000;

async fn components() {
    let mut page = LiveTest::<Table>::mount(Params::default(), Session::default())
        .await
        .expect("mount the table");
    let mut times = Vec::with_capacity(EVENTS);
    let mut bytes = 0;
    let before = page.component_renders();
    for n in 0..EVENTS {
        let id = format!("r{}", (n * 37) % ROWS);
        let t = Instant::now();
        let ops = page
            .event_to(&id, "inc", serde_json::json!({}))
            .await
            .expect("inc");
        let frame = patch_frame(n as u64 + 2, &ops);
        times.push(t.elapsed());
        bytes = frame.len();
    }
    let renders = (page.component_renders() - before) / EVENTS as u64;
    report(
        "100 `LiveComponent` rows, one changed",
        times,
        bytes,
        Some(renders),
    );
}

async fn functions() {
    let mut page = LiveTest::<PlainTable>::mount(Params::default(), Session::default())
        .await
        .expect("mount the table");
    let mut times = Vec::with_capacity(EVENTS);
    let mut bytes = 0;
    for n in 0..EVENTS {
        let row = ((n * 37) % ROWS).to_string();
        let t = Instant::now();
        let ops = page
            .event("inc", serde_json::json!({ "row": row }))
            .await
            .expect("inc");
        let frame = patch_frame(n as u64 + 2, &ops);
        times.push(t.elapsed());
        bytes = frame.len();
    }
    report(
        "100 function-component rows, one changed",
        times,
        bytes,
        None,
    );
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        println!("| page | server time per event, median | p99 | reply frame | renders |");
        println!("| --- | --- | --- | --- | --- |");
        components().await;
        functions().await;
    });
}

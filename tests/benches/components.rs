//! Components benchmark: prints figures, asserts nothing.
//!
//! A table of 10, 100 and 1,000 rows, one changed per event. With `LiveComponent`s the event
//! goes to the changed row, which alone renders again, into the page's last HTML, without the
//! page rendering; with function components the page holds the counts and renders every row.
//! Both then reparse around the change, diff and encode. Reports the server's time per event
//! (handler to frame, as the page's task runs it, without the test client's copy of the page),
//! median and p99, the reply's bytes, which must be those of the change alone, and the ratios the
//! goals are set in: components against functions at the same size, and 1,000 component rows
//! against 10.
//!
//! Then the page's own event: a tick shown above the table and below it, every row unchanged.
//! The component rows are skipped by identity (not read, not parsed), and the two changed ends
//! are parsed again alone; the function rows render again, and everything between the two ends
//! is parsed again.
//!
//! Run with `cargo bench -p leptos-live-tests --bench components`.

use std::time::{Duration, Instant};

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session,
    live_component,
};
use leptos_live_tests::percentile;

const SIZES: [usize; 3] = [10, 100, 1_000];

fn rows_of(p: &Params) -> usize {
    p.get("rows").and_then(|r| r.parse().ok()).unwrap_or(100)
}

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

/// The table around `rows`, with the page's ticks above and below them.
fn table_view(ticks: u64, rows: impl IntoView + 'static) -> impl IntoView {
    view! {
        <table class="w-full text-sm">
            <caption>{ticks}</caption>
            <tbody>{rows}</tbody>
            <tfoot><tr><td>{ticks}</td></tr></tfoot>
        </table>
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
    ticks: u64,
}

impl LiveView for Table {
    type Message = ();
    type Event = RawEvent;

    async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Table {
            labels: (0..rows_of(p)).map(|i| format!("row number {i}")).collect(),
            ticks: 0,
        })
    }

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.ticks += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let rows = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| live_component::<Row>(format!("r{i}"), (i, l.clone())))
            .collect_view();
        table_view(self.ticks, rows)
    }
}

/// The same page with function components: the page holds the counts and renders every row.
struct PlainTable {
    labels: Vec<String>,
    counts: Vec<i64>,
    ticks: u64,
}

impl LiveView for PlainTable {
    type Message = ();
    type Event = RawEvent;

    async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let rows = rows_of(p);
        Ok(PlainTable {
            labels: (0..rows).map(|i| format!("row number {i}")).collect(),
            counts: vec![0; rows],
            ticks: 0,
        })
    }

    async fn handle_event(&mut self, e: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        if e.name == "tick" {
            self.ticks += 1;
            return Ok(());
        }
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
        table_view(self.ticks, rows)
    }
}

/// The median and p99 of `times`, in µs.
fn spread(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |p| percentile(&times, p).expect("timed runs").as_secs_f64() * 1e6;
    (at(0.5), at(0.99))
}

const EVENTS: usize = 3_000;

fn params(rows: usize) -> Params {
    Params::from_pairs([("rows", rows.to_string())])
}

/// Server time per event on `rows` component rows: median, p99, last frame's bytes, components
/// rendered per event.
async fn components(rows: usize) -> (f64, f64, usize, f64) {
    let mut page = LiveTest::<Table>::mount(params(rows), Session::default())
        .await
        .expect("mount the table");
    let mut times = Vec::with_capacity(EVENTS);
    let mut bytes = 0;
    let before = page.component_renders();
    for n in 0..EVENTS {
        let id = format!("r{}", (n * 37) % rows);
        let t = Instant::now();
        let frames = page
            .event_to_frames(&id, "inc", serde_json::json!({}))
            .await;
        times.push(t.elapsed());
        bytes = frames.last().map_or(0, String::len);
    }
    let renders = (page.component_renders() - before) as f64 / EVENTS as f64;
    let (p50, p99) = spread(times);
    (p50, p99, bytes, renders)
}

/// Server time per event on `rows` function rows: median, p99, last frame's bytes.
async fn functions(rows: usize) -> (f64, f64, usize) {
    let mut page = LiveTest::<PlainTable>::mount(params(rows), Session::default())
        .await
        .expect("mount the table");
    let mut times = Vec::with_capacity(EVENTS);
    let mut bytes = 0;
    for n in 0..EVENTS {
        let row = ((n * 37) % rows).to_string();
        let t = Instant::now();
        let frames = page
            .event_frames("inc", serde_json::json!({ "row": row }))
            .await;
        times.push(t.elapsed());
        bytes = frames.last().map_or(0, String::len);
    }
    let (p50, p99) = spread(times);
    (p50, p99, bytes)
}

/// Server time per page event (a tick at both ends of the table, every row unchanged) on
/// `rows` rows, as components (`true`) or functions: median, p99, last frame's bytes.
async fn ticks(rows: usize, components: bool) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(EVENTS);
    let mut bytes = 0;
    let (mut table, mut plain) = (None, None);
    if components {
        table = Some(
            LiveTest::<Table>::mount(params(rows), Session::default())
                .await
                .expect("mount"),
        );
    } else {
        plain = Some(
            LiveTest::<PlainTable>::mount(params(rows), Session::default())
                .await
                .expect("mount"),
        );
    }
    for _ in 0..EVENTS {
        let t = Instant::now();
        let frames = match (&mut table, &mut plain) {
            (Some(page), _) => page.event_frames("tick", serde_json::json!({})).await,
            (_, Some(page)) => page.event_frames("tick", serde_json::json!({})).await,
            _ => Vec::new(),
        };
        times.push(t.elapsed());
        bytes = frames.last().map_or(0, String::len);
    }
    let (p50, p99) = spread(times);
    (p50, p99, bytes)
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        println!(
            "| rows | components: median | p99 | reply | rendered per event | functions: median | p99 | reply | components / functions |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        let mut medians = Vec::new();
        for rows in SIZES {
            let (c50, c99, cb, renders) = components(rows).await;
            let (f50, f99, fb) = functions(rows).await;
            medians.push(c50);
            println!(
                "| {rows} | {c50:.1} µs | {c99:.1} µs | {cb} B | {renders:.2} | {f50:.1} µs | {f99:.1} µs | {fb} B | {:.2} |",
                c50 / f50
            );
        }
        if let (Some(small), Some(large)) = (medians.first(), medians.last()) {
            println!(
                "component rows, {} vs {}: {:.2}x",
                SIZES[SIZES.len() - 1],
                SIZES[0],
                large / small
            );
        }
        println!();
        println!("The page's own event (a tick above and below the table, every row unchanged):");
        println!();
        println!("| rows | components: median | p99 | reply | functions: median | p99 | reply | components / functions |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for rows in SIZES {
            let (c50, c99, cb) = ticks(rows, true).await;
            let (f50, f99, fb) = ticks(rows, false).await;
            println!(
                "| {rows} | {c50:.1} µs | {c99:.1} µs | {cb} B | {f50:.1} µs | {f99:.1} µs | {fb} B | {:.2} |",
                c50 / f50
            );
        }
    });
}

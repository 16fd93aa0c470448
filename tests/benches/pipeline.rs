//! Parse + diff + encode on pages of 1 KB, 10 KB, 100 KB and 1 MB with one changed cell, next to
//! the Leptos render of the same page. `cargo bench -p leptos-live-tests --bench pipeline`.
//!
//! Criterion reports each step (µs, and MB/s of page HTML); a summary at the end prints the
//! medians and the ratio of the engine's whole server time for the change (render + parse +
//! diff + encode) to the render alone.

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, Throughput};
use leptos::prelude::*;
use leptos_live::diff::{diff, write_ops};
use leptos_live::html::parse_fragment;

/// A table page with `rows` rows of 8 cells; `edit` changes one cell's text.
fn page(rows: usize, edit: bool) -> impl IntoView {
    view! {
        <main class="p-4">
            <h1 class="text-xl font-semibold">"Inventory"</h1>
            <table class="min-w-full divide-y divide-slate-200">
                <tbody>
                    {(0..rows)
                        .map(|r| {
                            let cells = (0..8)
                                .map(|c| {
                                    let text = if edit && r == rows / 2 && c == 3 {
                                        "changed".to_string()
                                    } else {
                                        format!("{r}-{c}")
                                    };
                                    view! { <td class="px-2 py-1">{text}</td> }
                                })
                                .collect_view();
                            view! { <tr id=format!("row-{r}")>{cells}</tr> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </main>
    }
}

fn render(rows: usize, edit: bool) -> String {
    let owner = Owner::new();
    owner.with(|| page(rows, edit).to_html())
}

/// Rows that give roughly 1 KB, 10 KB, 100 KB and 1 MB of HTML.
const SIZES: [(&str, usize); 4] = [("1KB", 4), ("10KB", 45), ("100KB", 450), ("1MB", 4600)];

fn median_us(mut f: impl FnMut(), min_runs: usize) -> f64 {
    let mut t = Vec::new();
    let start = Instant::now();
    while t.len() < min_runs || (start.elapsed().as_millis() < 300 && t.len() < 100_000) {
        let s = Instant::now();
        f();
        t.push(s.elapsed().as_secs_f64() * 1e6);
    }
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn bench(c: &mut Criterion) {
    for (name, rows) in SIZES {
        let (before, after) = (render(rows, false), render(rows, true));
        let (tree_before, tree_after) = (parse_fragment(&before), parse_fragment(&after));
        let mut g = c.benchmark_group(format!("page_{name}"));
        g.throughput(Throughput::Bytes(after.len() as u64));
        g.bench_function(BenchmarkId::new("leptos_render", name), |b| {
            b.iter(|| black_box(render(rows, true)))
        });
        g.bench_function(BenchmarkId::new("parse_and_hash", name), |b| {
            b.iter(|| black_box(parse_fragment(black_box(&after))))
        });
        let same = parse_fragment(&before);
        g.bench_function(BenchmarkId::new("diff_unchanged", name), |b| {
            b.iter(|| black_box(diff(&tree_before, &same)))
        });
        g.bench_function(BenchmarkId::new("diff_one_cell_and_encode", name), |b| {
            b.iter(|| {
                let ops = diff(&tree_before, &tree_after).unwrap_or_default();
                let mut out = String::new();
                write_ops(&ops, &mut out);
                black_box(out)
            })
        });
        g.finish();
    }
}

/// The table page as a live page: "edit" changes one cell, as a user's event would.
struct Table {
    rows: usize,
    edit: bool,
}

impl leptos_live::LiveView for Table {
    type Message = ();
    type Event = leptos_live::RawEvent;

    async fn mount(
        params: &leptos_live::Params,
        _: &leptos_live::Session,
        _: &mut leptos_live::Ctx<Self>,
    ) -> Result<Self, leptos_live::LiveError> {
        let rows = params.get("rows").and_then(|r| r.parse().ok()).unwrap_or(4);
        Ok(Table { rows, edit: false })
    }

    async fn handle_event(
        &mut self,
        _: leptos_live::RawEvent,
        _: &mut leptos_live::Ctx<Self>,
    ) -> Result<(), leptos_live::LiveError> {
        self.edit = !self.edit;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        page(self.rows, self.edit)
    }
}

/// Median time of one event on the live table page (handler + render + region reparse + diff +
/// encode), the server's side alone: the page core with a sink that encodes frames as the page
/// task's does, without the test client's copy of the page.
fn live_event_us(rows: usize) -> f64 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let params = leptos_live::Params::from_pairs([("rows", rows.to_string())]);
        let mut page = leptos_live::testing::LiveTest::<Table>::mount(params, Default::default())
            .await
            .expect("mount");
        let mut t = Vec::new();
        let start = Instant::now();
        while t.len() < 20 || (start.elapsed().as_millis() < 500 && t.len() < 20_000) {
            let s = Instant::now();
            black_box(page.event_frames("edit", serde_json::json!({})).await);
            t.push(s.elapsed().as_secs_f64() * 1e6);
        }
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    })
}

fn summary() {
    println!("\nsummary (medians)");
    println!(
        "| page | HTML bytes | Leptos render µs | parse+hash µs (MB/s) | diff unchanged µs | one cell, whole parse: parse+diff+encode µs | one cell, live event: render+region reparse+diff+encode µs | live event / render |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, rows) in SIZES {
        let (before, after) = (render(rows, false), render(rows, true));
        let tree_before = parse_fragment(&before);
        let runs = if rows > 1000 { 10 } else { 50 };
        let r = median_us(
            || {
                black_box(render(rows, true));
            },
            runs,
        );
        let p = median_us(
            || {
                black_box(parse_fragment(black_box(&after)));
            },
            runs,
        );
        let same = parse_fragment(&before);
        let d0 = median_us(
            || {
                let _ = black_box(diff(&tree_before, &same));
            },
            runs,
        );
        let step = median_us(
            || {
                let tree = parse_fragment(&after);
                let ops = diff(&tree_before, &tree).unwrap_or_default();
                let mut out = String::new();
                write_ops(&ops, &mut out);
                black_box(out);
            },
            runs,
        );
        let live = live_event_us(rows);
        println!(
            "| {name} | {} | {r:.1} | {p:.1} ({:.0}) | {d0:.2} | {step:.1} | {live:.1} | {:.2} |",
            after.len(),
            after.len() as f64 / p,
            live / r
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    summary();
}

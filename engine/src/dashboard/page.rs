//! The dashboard: a live page, updated every second, of what this process's pages are doing.

use std::collections::VecDeque;
use std::time::Duration;

use leptos::prelude::*;
use rustc_hash::FxHashMap;
use tokio::time::Instant;

use crate::ctx::Ctx;
use crate::dashboard::chart::{ago, bytes, count, rate, seconds, short, sparkline};
use crate::dashboard::reading::{Reading, ViewEvent};
use crate::dashboard::recorder::installed;
use crate::error::LiveError;
use crate::params::{Params, RawEvent, Session};
use crate::view::LiveView;

/// How often the dashboard reads the figures again.
pub(crate) const EVERY: Duration = Duration::from_secs(1);

/// How many readings the sparklines show (a minute, at one a second).
pub(crate) const HISTORY: usize = 60;

/// Over how many readings event rates are taken.
const RATE_OVER: usize = 10;

/// One second of the sparklines.
#[derive(Clone, Copy, Debug, Default)]
struct Point {
    events_per_sec: f64,
    pages: f64,
    rss: f64,
}

/// A live dashboard of this process: live pages by view and route, sockets and absent pages;
/// events per second and their times (p50, p99) by view and event; errors by code with their
/// latest examples; the slowest recent events; click-to-reply times as browsers measured them,
/// by route; memory; PubSub topics, Presence per topic and
/// the Redis link. It reads the figures of the installed [`Recorder`](super::Recorder) every
/// second, and shows how to install one when there is none.
///
/// Mount it where you like, behind your own `on_mount` check: it shows no payload and no
/// session value, but it does show topic names and the app's views.
///
/// ```
/// use leptos_live::dashboard::{Dashboard, Recorder};
/// use leptos_live::{Halt, LiveRouter, LiveSession, Mounting};
///
/// async fn admins_only(m: Mounting) -> Result<Mounting, Halt> {
///     match m.session.get("role").and_then(|v| v.as_str()) {
///         Some("admin") => Ok(m),
///         _ => Err(Halt::redirect("/")),
///     }
/// }
///
/// Recorder::new().install().unwrap();
/// let router: axum::Router = LiveRouter::new()
///     .live_session(LiveSession::new("admin").on_mount(admins_only).page::<Dashboard>("/admin"))
///     .into_router();
/// # let _ = router;
/// ```
pub struct Dashboard {
    reading: Option<Reading>,
    topics: Vec<(String, usize)>,
    presence: Vec<(String, usize)>,
    /// Event counts by view and event at the last readings, for their rates.
    counts: VecDeque<(Instant, FxHashMap<ViewEvent, u64>)>,
    rates: FxHashMap<ViewEvent, f64>,
    history: VecDeque<Point>,
}

impl Dashboard {
    /// Reads the figures, PubSub and Presence again.
    fn refresh(&mut self, ctx: &Ctx<Self>) {
        // Not the long-poll sessions' own topics (one a session, relaying its requests).
        self.topics = ctx.pubsub().topics();
        self.topics.retain(|(t, _)| !t.starts_with("lv:poll:"));
        self.presence = ctx.pubsub().presence_counts();
        let Some(figures) = installed() else {
            return;
        };
        let reading = Reading::take(figures);
        let now: FxHashMap<ViewEvent, u64> = reading
            .events
            .iter()
            .map(|e| ((e.view.clone(), e.event.clone()), e.total))
            .collect();
        let mut events_per_sec = 0.0;
        self.rates.clear();
        if let Some((then, before)) = self.counts.front() {
            let dt = reading.at.saturating_duration_since(*then).as_secs_f64();
            if dt > 0.0 {
                for (k, n) in &now {
                    let r = n.saturating_sub(before.get(k).copied().unwrap_or(0)) as f64 / dt;
                    events_per_sec += r;
                    self.rates.insert(k.clone(), r);
                }
            }
        }
        if self.counts.len() == RATE_OVER {
            self.counts.pop_front();
        }
        self.counts.push_back((reading.at, now));
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(Point {
            events_per_sec,
            pages: reading.live_pages(),
            rss: reading.rss.unwrap_or(0) as f64,
        });
        self.reading = Some(reading);
    }

    fn series(&self, f: impl Fn(&Point) -> f64) -> Vec<f64> {
        self.history.iter().map(f).collect()
    }
}

impl LiveView for Dashboard {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let mut page = Dashboard {
            reading: None,
            topics: Vec::new(),
            presence: Vec::new(),
            counts: VecDeque::new(),
            rates: FxHashMap::default(),
            history: VecDeque::new(),
        };
        page.refresh(ctx);
        ctx.send_after(EVERY, ());
        Ok(page)
    }

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        Err(LiveError::msg("the dashboard takes no events"))
    }

    async fn handle_info(&mut self, (): (), ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.refresh(ctx);
        ctx.send_after(EVERY, ());
        Ok(())
    }

    fn title(&self) -> String {
        "Dashboard · leptos-live".to_string()
    }

    fn render(&self) -> impl IntoView {
        let body = match &self.reading {
            None => not_installed().into_any(),
            Some(r) => self.figures(r).into_any(),
        };
        view! {
            <div id="lv-dashboard">
                <div class="mx-auto max-w-6xl space-y-6 p-4 text-slate-800 sm:p-6">
                    <header class="flex flex-wrap items-baseline justify-between gap-2">
                        <h1 class="text-xl font-semibold">"Dashboard"</h1>
                        <p class="text-sm text-slate-500">"This process, updated every second"</p>
                    </header>
                    {body}
                    {self.pubsub()}
                </div>
            </div>
        }
    }
}

/// A titled white box.
fn card(title: &'static str, id: &'static str, body: AnyView) -> impl IntoView + use<> {
    view! {
        <section id=id class="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
            <h2 class="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-700">{title}</h2>
            <div class="overflow-x-auto">{body}</div>
        </section>
    }
}

/// One figure in large type, with an optional sparkline under it.
fn stat(
    label: &'static str,
    id: &'static str,
    value: String,
    line: Option<Vec<f64>>,
) -> impl IntoView + use<> {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
            <p id=id class="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
            {line.map(|l| view! { <div class="text-sky-600">{sparkline(&l)}</div> })}
        </div>
    }
}

/// A table's head: each column's title, and whether it holds numbers (set to the right).
fn head(columns: &'static [(&'static str, bool)]) -> impl IntoView + use<> {
    view! {
        <thead class="bg-slate-50">
            <tr>
                {columns
                    .iter()
                    .map(|(title, number)| {
                        let align = if *number { "text-right" } else { "text-left" };
                        view! {
                            <th scope="col" class=format!("whitespace-nowrap px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 {align}")>{*title}</th>
                        }
                    })
                    .collect_view()}
            </tr>
        </thead>
    }
}

/// A table row saying there is nothing yet.
fn empty(columns: usize, what: &'static str) -> AnyView {
    view! { <tr><td colspan=columns class="px-4 py-3 text-sm text-slate-500">{what}</td></tr> }
        .into_any()
}

const TABLE: &str = "min-w-full divide-y divide-slate-200 text-sm";
const BODY: &str = "divide-y divide-slate-200 [&_td]:px-4 [&_td]:py-2";
/// A cell of numbers.
const NUMBER: &str = "whitespace-nowrap text-right tabular-nums";
/// A cell of names the code chose (events, routes, topics), which may be long.
const NAME: &str = "break-all font-mono text-xs";

fn not_installed() -> impl IntoView {
    view! {
        <div id="dashboard-off" class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
            "No figures: install "<code>"leptos_live::dashboard::Recorder"</code>" as the process's metrics recorder (with your exporter inside, through "<code>"forward_to"</code>") before the server starts."
        </div>
    }
}

impl Dashboard {
    fn figures(&self, r: &Reading) -> impl IntoView + use<> {
        let last = self.history.back().copied().unwrap_or_default();
        let stats = view! {
            <div class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
                {stat("Live pages", "stat-pages", count(r.live_pages() as u64), Some(self.series(|p| p.pages)))}
                {stat("Sockets", "stat-sockets", count(r.sockets.max(0.0) as u64), None)}
                {stat("Absent pages", "stat-absent", count(r.absent.max(0.0) as u64), None)}
                {stat("Events / s", "stat-rate", rate(last.events_per_sec), Some(self.series(|p| p.events_per_sec)))}
                {stat("Events", "stat-events", count(r.events_total()), None)}
                {stat("Memory (RSS)", "stat-rss", r.rss.map_or("n/a".to_string(), bytes), Some(self.series(|p| p.rss)))}
            </div>
        };
        view! {
            {stats}
            <div class="grid gap-6 lg:grid-cols-2">
                {card("Live pages", "pages", self.pages_table(r))}
                {card("Errors", "errors", errors_table(r))}
            </div>
            {card("Events (times over the last minute)", "events", self.events_table(r))}
            <div class="grid gap-6 lg:grid-cols-2">
                {card("Slowest events (last 5 minutes)", "slowest", slowest_table(r))}
                {card("Click to reply, in browsers (last minute)", "clicks", clicks_table(r))}
            </div>
        }
    }

    fn pages_table(&self, r: &Reading) -> AnyView {
        let rows = if r.pages.is_empty() {
            empty(3, "No live page.")
        } else {
            r.pages
                .iter()
                .map(|p| {
                    view! {
                        <tr>
                            <td class="font-medium" title=p.view.clone()>{short(&p.view).to_string()}</td>
                            <td class=NAME>{p.route.clone()}</td>
                            <td class=NUMBER>{count(p.live.max(0.0) as u64)}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        };
        view! { <table class=TABLE>{head(&[("View", false), ("Route", false), ("Live", true)])}<tbody class=BODY>{rows}</tbody></table> }
            .into_any()
    }

    fn events_table(&self, r: &Reading) -> AnyView {
        let rows = if r.events.is_empty() {
            empty(6, "No event yet.")
        } else {
            r.events
                .iter()
                .map(|e| {
                    let per_sec = self
                        .rates
                        .get(&(e.view.clone(), e.event.clone()))
                        .copied()
                        .unwrap_or(0.0);
                    let time = |t: Option<f64>| t.map_or("–".to_string(), seconds);
                    view! {
                        <tr data-view=e.view.clone() data-event=e.event.clone()>
                            <td class="font-medium" title=e.view.clone()>{short(&e.view).to_string()}</td>
                            <td class=NAME>{e.event.clone()}</td>
                            <td class=NUMBER>{rate(per_sec)}</td>
                            <td class=NUMBER data-total="">{count(e.total)}</td>
                            <td class=NUMBER>{time(e.p50)}</td>
                            <td class=NUMBER>{time(e.p99)}</td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        };
        view! { <table class=TABLE>{head(&[("View", false), ("Event", false), ("Per second", true), ("Total", true), ("p50", true), ("p99", true)])}<tbody class=BODY>{rows}</tbody></table> }
            .into_any()
    }

    fn pubsub(&self) -> impl IntoView + use<> {
        let topics = counts(&self.topics, "No subscriber.");
        let presence = counts(&self.presence, "Nobody tracked.");
        let redis = match self.reading.as_ref().map(|r| r.redis.clone()) {
            Some(links) if !links.is_empty() => links
                .into_iter()
                .map(|(link, up)| {
                    let (dot, word) = if up { ("bg-emerald-500", "up") } else { ("bg-rose-500", "down") };
                    view! {
                        <p class="flex items-center gap-2 text-sm">
                            <span class=format!("inline-block h-2.5 w-2.5 rounded-full {dot}") aria-hidden="true"></span>
                            <span class="font-mono text-xs">{link}</span>
                            <span data-redis=word>{word}</span>
                        </p>
                    }
                })
                .collect_view()
                .into_any(),
            _ => view! { <p class="text-sm text-slate-500">"No Redis link: PubSub stays in this process."</p> }.into_any(),
        };
        view! {
            <div class="grid gap-6 lg:grid-cols-3">
                {card("PubSub topics", "topics", view! { <table class=TABLE>{head(&[("Topic", false), ("Subscribers", true)])}<tbody class=BODY>{topics}</tbody></table> }.into_any())}
                {card("Presence", "presence", view! { <table class=TABLE>{head(&[("Topic", false), ("People", true)])}<tbody class=BODY>{presence}</tbody></table> }.into_any())}
                {card("Redis", "redis", view! { <div class="space-y-1 p-4">{redis}</div> }.into_any())}
            </div>
        }
    }
}

/// Rows of names and their counts (topics and their subscribers or people), or `none`.
fn counts(rows: &[(String, usize)], none: &'static str) -> AnyView {
    if rows.is_empty() {
        return empty(2, none);
    }
    rows.iter()
        .map(|(name, n)| view! { <tr><td class=NAME>{name.clone()}</td><td class=NUMBER>{count(*n as u64)}</td></tr> })
        .collect_view()
        .into_any()
}

fn errors_table(r: &Reading) -> AnyView {
    let rows = if r.errors.is_empty() {
        empty(3, "No error.")
    } else {
        r.errors
            .iter()
            .map(|e| {
                let examples = e
                    .examples
                    .iter()
                    .map(|x| {
                        let what = match &x.event {
                            Some((view, event)) => format!("{} · {event}", short(view)),
                            None => "socket".to_string(),
                        };
                        view! { <li>{what}" "<span class="text-slate-400">{ago(x.ago)}</span></li> }
                    })
                    .collect_view();
                view! {
                    <tr data-code=e.code.clone()>
                        <td class="whitespace-nowrap font-mono text-xs text-rose-700">{e.code.clone()}</td>
                        <td class=NUMBER data-total="">{count(e.total)}</td>
                        <td><ul class="space-y-0.5 text-xs text-slate-600">{examples}</ul></td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! { <table class=TABLE>{head(&[("Code", false), ("Count", true), ("Latest", false)])}<tbody class=BODY>{rows}</tbody></table> }
        .into_any()
}

fn clicks_table(r: &Reading) -> AnyView {
    let rows = if r.clicks.is_empty() {
        empty(
            4,
            "No report yet: browsers send theirs every 16 events or 25 seconds.",
        )
    } else {
        r.clicks
            .iter()
            .map(|c| {
                let time = |t: Option<f64>| t.map_or("–".to_string(), seconds);
                view! {
                    <tr data-route=c.route.clone()>
                        <td class=NAME>{c.route.clone()}</td>
                        <td class=NUMBER data-total="">{count(c.count as u64)}</td>
                        <td class=NUMBER>{time(c.p50)}</td>
                        <td class=NUMBER>{time(c.p99)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! { <table class=TABLE>{head(&[("Route", false), ("Clicks", true), ("p50", true), ("p99", true)])}<tbody class=BODY>{rows}</tbody></table> }
        .into_any()
}

fn slowest_table(r: &Reading) -> AnyView {
    let rows = if r.slowest.is_empty() {
        empty(4, "No event yet.")
    } else {
        r.slowest
            .iter()
            .map(|s| {
                view! {
                    <tr>
                        <td class="font-medium" title=s.view.clone()>{short(&s.view).to_string()}</td>
                        <td class=NAME>{s.event.clone()}</td>
                        <td class=NUMBER>{seconds(s.seconds)}</td>
                        <td class="whitespace-nowrap text-right text-slate-500">{ago(s.ago)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! { <table class=TABLE>{head(&[("View", false), ("Event", false), ("Time", true), ("When", true)])}<tbody class=BODY>{rows}</tbody></table> }
        .into_any()
}

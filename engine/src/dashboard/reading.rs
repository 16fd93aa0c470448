//! One reading of the figures, as the dashboard shows it: live pages, events with their times,
//! errors with examples, the slowest recent events, memory, the Redis link.

use std::time::Duration;

use rustc_hash::FxHashMap;
use tokio::time::Instant;

use crate::dashboard::figures::{Figures, label};

/// Over how long event times are summed up (p50, p99).
pub(crate) const TIMES_OVER: Duration = Duration::from_secs(60);

/// Over how long the slowest events are looked for.
pub(crate) const SLOWEST_OVER: Duration = Duration::from_secs(300);

/// How many of the slowest events are shown.
pub(crate) const SLOWEST_SHOWN: usize = 10;

/// How many examples each error code shows.
pub(crate) const EXAMPLES_SHOWN: usize = 3;

/// A view and one of its events.
pub(crate) type ViewEvent = (String, String);

/// Live pages of one view on one route.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PagesRow {
    pub view: String,
    pub route: String,
    pub live: f64,
}

/// One view's event: how many so far, and its times over [`TIMES_OVER`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct EventRow {
    pub view: String,
    pub event: String,
    pub total: u64,
    /// Median and 99th percentile, in seconds; `None` without a sample in the window.
    pub p50: Option<f64>,
    pub p99: Option<f64>,
}

/// One error code: how many, and its latest examples (newest first).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ErrorRow {
    pub code: String,
    pub total: u64,
    pub examples: Vec<Example>,
}

/// When an error was seen, and the view and event it answered when it answered one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Example {
    pub ago: Duration,
    pub event: Option<ViewEvent>,
}

/// Click-to-reply times on one route as browsers measured them, over [`TIMES_OVER`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ClickRow {
    pub route: String,
    pub count: usize,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
}

/// One of the slowest recent events.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SlowEvent {
    pub view: String,
    pub event: String,
    pub seconds: f64,
    pub ago: Duration,
}

/// What the figures say at one moment.
#[derive(Clone, Debug)]
pub(crate) struct Reading {
    pub at: Instant,
    pub pages: Vec<PagesRow>,
    pub sockets: f64,
    pub absent: f64,
    pub events: Vec<EventRow>,
    pub errors: Vec<ErrorRow>,
    pub slowest: Vec<SlowEvent>,
    pub clicks: Vec<ClickRow>,
    /// The process's resident memory in bytes, where the system tells it.
    pub rss: Option<u64>,
    /// Each Redis link and whether it is up.
    pub redis: Vec<(String, bool)>,
}

/// The `q` quantile (0 to 1) of `sorted`, nearest rank.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// The resident memory of this process, from `/proc` where there is one.
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn owned(key: &metrics::Key, name: &str) -> String {
    label(key, name).unwrap_or_default().to_string()
}

impl Reading {
    /// Reads `figures` now.
    pub(crate) fn take(figures: &Figures) -> Reading {
        let at = Instant::now();
        let mut pages: Vec<PagesRow> = figures
            .gauges("leptos_live_pages")
            .into_iter()
            .filter(|(_, live)| *live > 0.0)
            .map(|(k, live)| PagesRow {
                view: owned(&k, "view"),
                route: owned(&k, "route"),
                live,
            })
            .collect();
        pages.sort_by(|a, b| (&a.view, &a.route).cmp(&(&b.view, &b.route)));

        let mut totals: FxHashMap<ViewEvent, u64> = FxHashMap::default();
        // Events that ended in an error, by code: the error frames count them too, except
        // where no frame is sent (a `LiveTest`).
        let mut failed: FxHashMap<String, u64> = FxHashMap::default();
        for (k, n) in figures.counters("leptos_live_events_total") {
            *totals
                .entry((owned(&k, "view"), owned(&k, "event")))
                .or_default() += n;
            match label(&k, "outcome") {
                Some("ok") | None => {}
                Some(code) => *failed.entry(code.to_string()).or_default() += n,
            }
        }
        let mut events: Vec<EventRow> = Vec::new();
        let mut slowest: Vec<SlowEvent> = Vec::new();
        let recent = at.checked_sub(SLOWEST_OVER).unwrap_or(at);
        let window = at.checked_sub(TIMES_OVER).unwrap_or(at);
        for (k, samples) in figures.samples("leptos_live_event_seconds", recent) {
            let (view, event) = (owned(&k, "view"), owned(&k, "event"));
            let mut times: Vec<f64> = samples
                .iter()
                .filter(|(t, _)| *t >= window)
                .map(|(_, s)| *s)
                .collect();
            times.sort_by(f64::total_cmp);
            slowest.extend(samples.iter().map(|(t, s)| SlowEvent {
                view: view.clone(),
                event: event.clone(),
                seconds: *s,
                ago: at.saturating_duration_since(*t),
            }));
            let total = totals.remove(&(view.clone(), event.clone())).unwrap_or(0);
            events.push(EventRow {
                view,
                event,
                total,
                p50: quantile(&times, 0.5),
                p99: quantile(&times, 0.99),
            });
        }
        events.extend(totals.into_iter().map(|((view, event), total)| EventRow {
            view,
            event,
            total,
            p50: None,
            p99: None,
        }));
        events.sort_by(|a, b| (&a.view, &a.event).cmp(&(&b.view, &b.event)));
        slowest.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
        slowest.truncate(SLOWEST_SHOWN);

        for (k, sent) in figures.counters("leptos_live_errors_total") {
            let total = failed.entry(owned(&k, "code")).or_default();
            *total = (*total).max(sent);
        }
        let mut errors: Vec<ErrorRow> = failed
            .into_iter()
            .map(|(code, total)| ErrorRow {
                code,
                total,
                examples: Vec::new(),
            })
            .collect();
        for seen in figures.errors().into_iter().rev() {
            if let Some(row) = errors.iter_mut().find(|r| r.code == seen.code)
                && row.examples.len() < EXAMPLES_SHOWN
            {
                row.examples.push(Example {
                    ago: at.saturating_duration_since(seen.at),
                    event: seen.event,
                });
            }
        }
        errors.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.code.cmp(&b.code)));

        let mut clicks: Vec<ClickRow> = figures
            .samples("leptos_live_click_to_reply_seconds", window)
            .into_iter()
            .filter(|(_, samples)| !samples.is_empty())
            .map(|(k, samples)| {
                let mut times: Vec<f64> = samples.iter().map(|(_, s)| *s).collect();
                times.sort_by(f64::total_cmp);
                ClickRow {
                    route: owned(&k, "route"),
                    count: times.len(),
                    p50: quantile(&times, 0.5),
                    p99: quantile(&times, 0.99),
                }
            })
            .collect();
        clicks.sort_by(|a, b| a.route.cmp(&b.route));

        let mut redis: Vec<(String, bool)> = figures
            .gauges("leptos_live_redis_link_up")
            .into_iter()
            .map(|(k, up)| (owned(&k, "link"), up > 0.0))
            .collect();
        redis.sort();

        Reading {
            at,
            pages,
            sockets: figures.gauge_sum("leptos_live_sockets"),
            absent: figures.gauge_sum("leptos_live_absent_pages"),
            events,
            errors,
            slowest,
            clicks,
            rss: rss(),
            redis,
        }
    }

    /// Live pages over all views and routes.
    pub(crate) fn live_pages(&self) -> f64 {
        self.pages.iter().map(|p| p.live).sum()
    }

    /// Events so far over all views.
    pub(crate) fn events_total(&self) -> u64 {
        self.events.iter().map(|e| e.total).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::figures::key;
    use metrics::{Counter, Gauge, Histogram};

    #[test]
    fn quantiles_are_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), Some(50.0));
        assert_eq!(quantile(&v, 0.99), Some(99.0));
        assert_eq!(quantile(&[7.0], 0.99), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn a_reading_sums_up_the_figures() {
        let f = Figures::default();
        let pages = key(
            "leptos_live_pages",
            &[("view", "app::Room"), ("route", "/rooms/{name}")],
        );
        f.gauge(&pages, Gauge::noop).increment(2.0);
        let ok = [("view", "app::Room"), ("event", "post"), ("outcome", "ok")];
        f.counter(&key("leptos_live_events_total", &ok), Counter::noop)
            .increment(3);
        let bad = [
            ("view", "app::Room"),
            ("event", "post"),
            ("outcome", "bad_payload"),
        ];
        f.counter(
            &key("leptos_live_errors_total", &[("code", "bad_payload")]),
            Counter::noop,
        )
        .increment(1);
        f.counter(&key("leptos_live_events_total", &bad), Counter::noop)
            .increment(1);
        let times = key(
            "leptos_live_event_seconds",
            &[("view", "app::Room"), ("event", "post")],
        );
        for ms in [1.0, 2.0, 3.0, 40.0] {
            f.histogram(&times, Histogram::noop).record(ms / 1000.0);
        }
        let r = Reading::take(&f);
        assert_eq!(r.live_pages(), 2.0);
        assert_eq!(r.pages[0].route, "/rooms/{name}");
        assert_eq!(r.events_total(), 4);
        assert_eq!(r.events[0].p50, Some(0.002));
        assert_eq!(r.events[0].p99, Some(0.04));
        assert_eq!(r.slowest[0].seconds, 0.04);
        assert_eq!(r.errors[0].code, "bad_payload");
        assert_eq!(
            r.errors[0].examples[0].event,
            Some(("app::Room".to_string(), "post".to_string()))
        );
    }
}

//! What the dashboard knows: every series the engine records through the `metrics` facade, kept
//! in this process's memory (counters, gauges, the recent samples of each histogram), and the
//! latest errors with the view and event they answered.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use metrics::{Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key};
use rustc_hash::FxHashMap;
use tokio::time::Instant;

/// How many samples each histogram series keeps (the newest).
pub(crate) const SAMPLES_KEPT: usize = 2048;

/// How many error examples are kept, over all codes (the newest).
pub(crate) const ERRORS_KEPT: usize = 64;

/// An error as a client was told it, and what it answered when it was a page's event.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ErrorSeen {
    pub at: Instant,
    pub code: String,
    /// The view and event, when the error answered an event.
    pub event: Option<(String, String)>,
}

/// One series' value over time: a histogram's recent samples.
pub(crate) type Samples = VecDeque<(Instant, f64)>;

/// Every series recorded, by kind and key. The engine's macros look their handle up on every
/// use, so the maps are read-locked for that and write-locked only for a new series.
#[derive(Default)]
pub(crate) struct Figures {
    counters: Series<CounterCell, Counter>,
    gauges: Series<GaugeCell, Gauge>,
    histograms: Series<HistogramCell, Histogram>,
    errors: Arc<Mutex<VecDeque<ErrorSeen>>>,
}

/// The series of one kind: each key's cell (what the dashboard reads) and the handle the
/// engine records through.
type Series<C, H> = RwLock<FxHashMap<Key, (Arc<C>, H)>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The handle of `key` in `series`, made with `make` (a cell and its handle) the first time.
fn handle<C, H: Clone>(series: &Series<C, H>, key: &Key, make: impl FnOnce() -> (Arc<C>, H)) -> H {
    if let Some((_, h)) = series.read().unwrap_or_else(|e| e.into_inner()).get(key) {
        return h.clone();
    }
    let mut all = series.write().unwrap_or_else(|e| e.into_inner());
    all.entry(key.clone()).or_insert_with(make).1.clone()
}

/// Each entry of `series` named `name`, with what `read` says of its cell.
fn each<C, H, T>(series: &Series<C, H>, name: &str, read: impl Fn(&C) -> T) -> Vec<(Key, T)> {
    series
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(k, _)| k.name() == name)
        .map(|(k, (cell, _))| (k.clone(), read(cell)))
        .collect()
}

/// The value of the label `name` of `key`, if it has one.
pub(crate) fn label<'k>(key: &'k Key, name: &str) -> Option<&'k str> {
    key.labels().find(|l| l.key() == name).map(|l| l.value())
}

impl Figures {
    /// The handle the engine's `counter!` gets for `key`: counted here, and by `inner` too.
    pub(crate) fn counter(&self, key: &Key, inner: impl FnOnce() -> Counter) -> Counter {
        handle(&self.counters, key, || {
            let cell = Arc::new(CounterCell {
                value: AtomicU64::new(0),
                inner: inner(),
                errors: self.error_kind(key).map(|kind| (kind, self.errors.clone())),
            });
            (cell.clone(), Counter::from_arc(cell))
        })
    }

    /// The handle the engine's `gauge!` gets for `key`.
    pub(crate) fn gauge(&self, key: &Key, inner: impl FnOnce() -> Gauge) -> Gauge {
        handle(&self.gauges, key, || {
            let cell = Arc::new(GaugeCell {
                bits: AtomicU64::new(0f64.to_bits()),
                inner: inner(),
            });
            (cell.clone(), Gauge::from_arc(cell))
        })
    }

    /// The handle the engine's `histogram!` gets for `key`.
    pub(crate) fn histogram(&self, key: &Key, inner: impl FnOnce() -> Histogram) -> Histogram {
        handle(&self.histograms, key, || {
            let cell = Arc::new(HistogramCell {
                samples: Mutex::new(VecDeque::new()),
                inner: inner(),
            });
            (cell.clone(), Histogram::from_arc(cell))
        })
    }

    /// Whether increments of `key` are errors to keep examples of: an error frame
    /// (`leptos_live_errors_total`, by code), or an event that ended in one
    /// (`leptos_live_events_total` with an outcome other than `ok`).
    fn error_kind(&self, key: &Key) -> Option<ErrorKind> {
        match key.name() {
            "leptos_live_errors_total" => Some(ErrorKind::Frame {
                code: label(key, "code")?.to_string(),
            }),
            "leptos_live_events_total" => match label(key, "outcome")? {
                "ok" => None,
                code => Some(ErrorKind::Event {
                    code: code.to_string(),
                    view: label(key, "view")?.to_string(),
                    event: label(key, "event")?.to_string(),
                }),
            },
            _ => None,
        }
    }

    /// Each counter named `name`, with its key and value.
    pub(crate) fn counters(&self, name: &str) -> Vec<(Key, u64)> {
        each(&self.counters, name, |c| c.value.load(Ordering::Relaxed))
    }

    /// Each gauge named `name`, with its key and value.
    pub(crate) fn gauges(&self, name: &str) -> Vec<(Key, f64)> {
        each(&self.gauges, name, GaugeCell::get)
    }

    /// The sum of the gauges named `name` (0 when there is none).
    pub(crate) fn gauge_sum(&self, name: &str) -> f64 {
        self.gauges(name).iter().map(|(_, v)| v).sum()
    }

    /// Each histogram named `name`, with its key and the samples taken since `since`.
    pub(crate) fn samples(&self, name: &str, since: Instant) -> Vec<(Key, Vec<(Instant, f64)>)> {
        each(&self.histograms, name, |cell| {
            lock(&cell.samples)
                .iter()
                .filter(|(at, _)| *at >= since)
                .copied()
                .collect()
        })
    }

    /// The errors seen, oldest first.
    pub(crate) fn errors(&self) -> Vec<ErrorSeen> {
        lock(&self.errors).iter().cloned().collect()
    }
}

/// What an error counter's increment says.
enum ErrorKind {
    /// An error frame went to a client.
    Frame { code: String },
    /// A page's event ended in an error.
    Event {
        code: String,
        view: String,
        event: String,
    },
}

struct CounterCell {
    value: AtomicU64,
    inner: Counter,
    errors: Option<(ErrorKind, Arc<Mutex<VecDeque<ErrorSeen>>>)>,
}

impl CounterCell {
    fn seen(&self) {
        let Some((kind, errors)) = &self.errors else {
            return;
        };
        let at = Instant::now();
        let mut errors = lock(errors);
        match kind {
            ErrorKind::Frame { code } => errors.push_back(ErrorSeen {
                at,
                code: code.clone(),
                event: None,
            }),
            // The event's error frame went out just before its end is counted: the example
            // learns which view and event it answered.
            ErrorKind::Event { code, view, event } => {
                let frame = errors
                    .iter_mut()
                    .rev()
                    .take(8)
                    .find(|e| e.event.is_none() && e.code == *code);
                match frame {
                    Some(e) => e.event = Some((view.clone(), event.clone())),
                    None => errors.push_back(ErrorSeen {
                        at,
                        code: code.clone(),
                        event: Some((view.clone(), event.clone())),
                    }),
                }
            }
        }
        while errors.len() > ERRORS_KEPT {
            errors.pop_front();
        }
    }
}

impl CounterFn for CounterCell {
    fn increment(&self, value: u64) {
        self.value.fetch_add(value, Ordering::Relaxed);
        self.inner.increment(value);
        if value > 0 {
            self.seen();
        }
    }

    fn absolute(&self, value: u64) {
        self.value.fetch_max(value, Ordering::Relaxed);
        self.inner.absolute(value);
    }
}

struct GaugeCell {
    bits: AtomicU64,
    inner: Gauge,
}

impl GaugeCell {
    fn get(&self) -> f64 {
        f64::from_bits(self.bits.load(Ordering::Relaxed))
    }

    fn update(&self, f: impl Fn(f64) -> f64) {
        let _ = self
            .bits
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |bits| {
                Some(f(f64::from_bits(bits)).to_bits())
            });
    }
}

impl GaugeFn for GaugeCell {
    fn increment(&self, value: f64) {
        self.update(|v| v + value);
        self.inner.increment(value);
    }

    fn decrement(&self, value: f64) {
        self.update(|v| v - value);
        self.inner.decrement(value);
    }

    fn set(&self, value: f64) {
        self.bits.store(value.to_bits(), Ordering::Relaxed);
        self.inner.set(value);
    }
}

struct HistogramCell {
    samples: Mutex<Samples>,
    inner: Histogram,
}

impl HistogramFn for HistogramCell {
    fn record(&self, value: f64) {
        let mut samples = lock(&self.samples);
        if samples.len() == SAMPLES_KEPT {
            samples.pop_front();
        }
        samples.push_back((Instant::now(), value));
        drop(samples);
        self.inner.record(value);
    }
}

/// A key named `name` with `labels`, for the dashboard's tests.
#[cfg(test)]
pub(super) fn key(name: &'static str, labels: &[(&'static str, &'static str)]) -> Key {
    Key::from_parts(
        name,
        labels
            .iter()
            .map(|(k, v)| metrics::Label::new(*k, *v))
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_gauges_and_histograms_keep_their_values() {
        let figures = Figures::default();
        let k = key("leptos_live_sockets", &[]);
        figures.gauge(&k, Gauge::noop).increment(3.0);
        figures.gauge(&k, Gauge::noop).decrement(1.0);
        assert_eq!(figures.gauge_sum("leptos_live_sockets"), 2.0);
        let k = key("leptos_live_frames_sent_total", &[]);
        figures.counter(&k, Counter::noop).increment(2);
        figures.counter(&k, Counter::noop).increment(5);
        assert_eq!(figures.counters("leptos_live_frames_sent_total")[0].1, 7);
        let k = key(
            "leptos_live_event_seconds",
            &[("view", "V"), ("event", "inc")],
        );
        for i in 0..SAMPLES_KEPT + 10 {
            figures.histogram(&k, Histogram::noop).record(i as f64);
        }
        let samples = figures.samples(
            "leptos_live_event_seconds",
            Instant::now() - std::time::Duration::from_secs(60),
        );
        assert_eq!(samples[0].1.len(), SAMPLES_KEPT);
        assert_eq!(samples[0].1[0].1, 10.0);
    }

    #[test]
    fn an_events_error_names_its_view_and_event() {
        let figures = Figures::default();
        let frame = key("leptos_live_errors_total", &[("code", "bad_payload")]);
        let event = key(
            "leptos_live_events_total",
            &[
                ("view", "app::Room"),
                ("event", "post"),
                ("outcome", "bad_payload"),
            ],
        );
        let ok = key(
            "leptos_live_events_total",
            &[("view", "app::Room"), ("event", "post"), ("outcome", "ok")],
        );
        figures.counter(&ok, Counter::noop).increment(1);
        figures.counter(&frame, Counter::noop).increment(1);
        figures.counter(&event, Counter::noop).increment(1);
        let limited = key("leptos_live_errors_total", &[("code", "rate_limited")]);
        figures.counter(&limited, Counter::noop).increment(1);
        let seen: Vec<_> = figures
            .errors()
            .into_iter()
            .map(|e| (e.code, e.event))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "bad_payload".to_string(),
                    Some(("app::Room".to_string(), "post".to_string()))
                ),
                ("rate_limited".to_string(), None),
            ]
        );
    }

    #[test]
    fn error_examples_are_bounded() {
        let figures = Figures::default();
        let k = key("leptos_live_errors_total", &[("code", "rate_limited")]);
        for _ in 0..ERRORS_KEPT * 3 {
            figures.counter(&k, Counter::noop).increment(1);
        }
        assert_eq!(figures.errors().len(), ERRORS_KEPT);
    }
}

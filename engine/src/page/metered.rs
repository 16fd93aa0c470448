//! What a page records through the `metrics` facade beyond its spans: the helpers that read the
//! clock only when an app installed a recorder, and the bounded set of event names that label
//! the event metrics.

use std::sync::{OnceLock, RwLock};

use metrics::SharedString;
use rustc_hash::FxHashSet;
use tokio::time::Instant;

/// Whether an app installed a `metrics` recorder: the engine reads the clock for its histograms
/// only then. The facade's stand-in when none is installed is a recorder of no size.
pub(crate) fn metrics_on() -> bool {
    metrics::with_recorder(|r| std::mem::size_of_val(r) > 0)
}

/// The time since `started`, when it was taken, into the histogram `name` (by `view`).
pub(crate) fn timed(name: &'static str, view: &'static str, started: Option<Instant>) {
    if let Some(started) = started {
        metrics::histogram!(name, "view" => view).record(started.elapsed().as_secs_f64());
    }
}

/// How many distinct event names label the event metrics, over the whole process. Event names
/// come from the client: past this many, the rest count as [`OTHER_EVENTS`], so that a client
/// sending made-up names cannot grow an exporter's series without bound.
pub(crate) const EVENT_LABELS: usize = 256;

/// The label of the events past [`EVENT_LABELS`] distinct names.
pub(crate) const OTHER_EVENTS: &str = "_other";

/// The label `name` gets in the event metrics: itself while the process has seen fewer than
/// [`EVENT_LABELS`] names, [`OTHER_EVENTS`] after.
pub(crate) fn event_label(name: &str) -> SharedString {
    static NAMES: OnceLock<RwLock<FxHashSet<SharedString>>> = OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    if let Some(known) = names.read().unwrap_or_else(|e| e.into_inner()).get(name) {
        return known.clone();
    }
    let mut names = names.write().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return known.clone();
    }
    if names.len() >= EVENT_LABELS {
        return SharedString::const_str(OTHER_EVENTS);
    }
    let label = SharedString::from_owned(name.to_string());
    names.insert(label.clone());
    label
}

/// A page event's end in the metrics: `leptos_live_events_total` by view, event and outcome
/// (`ok`, or the code its client was sent), and its time since `started` in
/// `leptos_live_event_seconds` by view and event.
pub(crate) fn event_done(view: &'static str, name: &str, outcome: &'static str, started: Instant) {
    let event = event_label(name);
    metrics::counter!(
        "leptos_live_events_total",
        "view" => view,
        "event" => event.clone(),
        "outcome" => outcome
    )
    .increment(1);
    metrics::histogram!("leptos_live_event_seconds", "view" => view, "event" => event)
        .record(started.elapsed().as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_labels_are_bounded() {
        assert_eq!(&*event_label("inc"), "inc");
        for i in 0..EVENT_LABELS * 2 {
            let label = event_label(&format!("made-up-{i}"));
            assert!(label.starts_with("made-up-") || &*label == OTHER_EVENTS);
        }
        assert_eq!(&*event_label("never-seen-before"), OTHER_EVENTS);
        // A name seen while there was room keeps its label.
        assert_eq!(&*event_label("inc"), "inc");
    }
}

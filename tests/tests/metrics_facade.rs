//! What the engine records through the `metrics` facade, seen by a recorder of the test's own:
//! pages, events, renders and uploads, in-process with `LiveTest`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use leptos_live::testing::{LiveTest, TestFile};
use leptos_live::{LiveConfig, LiveRouter, Session};
use leptos_live_tests::uploads::{Files, PNG, SaveDir, fresh_dir};
use metrics::{
    Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder,
    SharedString, Unit,
};

/// One value per metric key (`name{label=value,…}`): counters add, gauges hold their last value,
/// histograms count their samples.
#[derive(Default)]
struct Recorded {
    values: Mutex<BTreeMap<String, Arc<Value>>>,
}

#[derive(Default)]
struct Value(AtomicU64);

impl CounterFn for Value {
    fn increment(&self, value: u64) {
        self.0.fetch_add(value, Ordering::Relaxed);
    }
    fn absolute(&self, value: u64) {
        self.0.store(value, Ordering::Relaxed);
    }
}

impl GaugeFn for Value {
    fn increment(&self, value: f64) {
        self.0.fetch_add(value as u64, Ordering::Relaxed);
    }
    fn decrement(&self, value: f64) {
        self.0.fetch_sub(value as u64, Ordering::Relaxed);
    }
    fn set(&self, value: f64) {
        self.0.store(value as u64, Ordering::Relaxed);
    }
}

impl HistogramFn for Value {
    fn record(&self, _: f64) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

impl Recorded {
    fn value(&self, key: &Key) -> Arc<Value> {
        let labels: Vec<String> = key
            .labels()
            .map(|l| format!("{}={}", l.key(), l.value()))
            .collect();
        let name = format!("{}{{{}}}", key.name(), labels.join(","));
        let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        values.entry(name).or_default().clone()
    }

    fn get(&self, name: &str) -> u64 {
        let values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        values.get(name).map_or(0, |v| v.0.load(Ordering::Relaxed))
    }
}

impl Recorder for Recorded {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.value(key))
    }
    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(self.value(key))
    }
    fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::from_arc(self.value(key))
    }
}

#[tokio::test]
async fn pages_events_renders_and_uploads_are_counted() {
    let recorded = Recorded::default();
    // The test's runtime runs on this thread: so do the page and its upload writers.
    let _local = metrics::set_default_local_recorder(&recorded);
    let (uploads, saved) = (fresh_dir("mx-up"), fresh_dir("mx-saved"));
    let router = LiveRouter::with_config(LiveConfig::default().with_upload_dir(&uploads))
        .extension(SaveDir(saved.to_path_buf()))
        .page::<Files>("/");
    let mut page = LiveTest::<Files>::get(&router, "/?manual", Session::default())
        .await
        .expect("mount");
    let view = "view=leptos_live_tests::uploads::Files";
    assert_eq!(
        recorded.get(&format!("leptos_live_pages_mounted_total{{{view}}}")),
        1
    );
    assert_eq!(
        recorded.get(&format!("leptos_live_mount_seconds{{{view}}}")),
        1
    );

    let text = TestFile::new("notes.txt", "text/plain", vec![b'a'; 200_000]);
    let image = TestFile::new("dot.png", "image/png", PNG.to_vec());
    page.upload("#files", &[text, image]).await.expect("upload");
    assert_eq!(recorded.get("leptos_live_uploads_total{}"), 2);
    assert_eq!(
        recorded.get("leptos_live_upload_bytes_total{}"),
        200_000 + PNG.len() as u64
    );

    // An event the page does not know: counted by view, event and outcome, and timed.
    page.event("nope", serde_json::json!({})).await.ok();
    assert_eq!(
        recorded.get(&format!(
            "leptos_live_events_total{{{view},event=nope,outcome=unknown_event}}"
        )),
        1
    );
    assert_eq!(
        recorded.get(&format!("leptos_live_event_seconds{{{view},event=nope}}")),
        1,
        "every event timed"
    );
    assert!(recorded.get(&format!("leptos_live_render_seconds{{{view}}}")) >= 1);
}

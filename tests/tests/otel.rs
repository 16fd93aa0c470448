//! An app that installs `tracing-opentelemetry` gets the engine's spans as OpenTelemetry traces,
//! with no change to the engine: the OpenTelemetry SDK's in-memory exporter stands in for a
//! collector, and a page driven through `LiveTest` (a mount, a click, an event the page refuses)
//! shows up in it as `mount` and `handle_event` spans with the view's name and the outcome.

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::{Ctx, LiveError, LiveView, Params, Session};
use opentelemetry::Value;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::json;
use tracing_subscriber::layer::SubscriberExt as _;

struct Counter {
    n: i64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Event {
    Inc,
}

impl LiveView for Counter {
    type Message = ();
    type Event = Event;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Counter { n: 0 })
    }

    async fn handle_event(
        &mut self,
        Event::Inc: Event,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        self.n += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <p id="n">{self.n}</p>
            <button lv-click="inc">"+1"</button>
        }
    }
}

/// The value of the span's attribute `key`, as text.
fn attribute(span: &SpanData, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| match &kv.value {
            Value::String(s) => s.as_str().to_string(),
            other => other.to_string(),
        })
}

fn named<'a>(spans: &'a [SpanData], name: &str) -> Vec<&'a SpanData> {
    spans.iter().filter(|s| s.name == name).collect()
}

#[test]
fn an_app_with_tracing_opentelemetry_exports_the_pages_spans() {
    // What an app's main does: an SDK tracer provider with an exporter, and the
    // tracing-opentelemetry layer on a tracing-subscriber registry.
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let tracer = provider.tracer("otel-test");
    let subscriber =
        tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(tracer));

    tracing::subscriber::with_default(subscriber, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let mut page = LiveTest::<Counter>::mount(Params::default(), Session::default())
                .await
                .expect("mount");
            page.click("button").await.expect("click");
            assert_eq!(page.text("#n").as_deref(), Some("1"));
            // An event the page does not know: refused before it reaches the page.
            let refused = page.event("nope", json!({})).await;
            assert!(refused.is_err(), "{refused:?}");
        });
    });
    provider.force_flush().expect("flush");

    let spans = exporter.get_finished_spans().expect("spans");
    let mount = named(&spans, "mount");
    assert_eq!(mount.len(), 1, "{spans:#?}");
    assert!(
        attribute(mount[0], "view").is_some_and(|v| v.ends_with("Counter")),
        "{:?}",
        mount[0].attributes
    );
    assert_eq!(attribute(mount[0], "outcome").as_deref(), Some("ok"));

    let events = named(&spans, "handle_event");
    assert_eq!(events.len(), 2, "{spans:#?}");
    let inc = events
        .iter()
        .find(|s| attribute(s, "event").as_deref() == Some("inc"))
        .expect("the click's span");
    assert!(attribute(inc, "view").is_some_and(|v| v.ends_with("Counter")));
    assert_eq!(attribute(inc, "outcome").as_deref(), Some("ok"));
    let nope = events
        .iter()
        .find(|s| attribute(s, "event").as_deref() == Some("nope"))
        .expect("the refused event's span");
    assert_eq!(attribute(nope, "outcome").as_deref(), Some("unknown_event"));

    // The steps inside an event are children of its span (DEBUG: the layer has no filter).
    let render = named(&spans, "render");
    assert!(
        render
            .iter()
            .any(|r| r.parent_span_id == inc.span_context.span_id()),
        "a render inside the click's span: {spans:#?}"
    );
    // One trace per step: the mount and the click are roots of their own traces.
    assert_ne!(
        mount[0].span_context.trace_id(),
        inc.span_context.trace_id()
    );
    provider.shutdown().expect("shutdown");
}

//! The engine's `tracing` spans: each step of a page (mount, `handle_event`, a component's
//! event, `handle_info`, `handle_params`) runs in a span named for it, with the view's type, the
//! event and the outcome; render, diff and frame encoding run in spans inside it, the frame's with
//! its size. An app sees them with any subscriber (`tracing-subscriber`, `tracing-opentelemetry`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, Session, live_component,
};
use serde_json::json;
use tracing::Subscriber;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// A span as the test saw it: its name, its fields as text, and its parent's name.
#[derive(Clone, Debug, Default)]
struct Seen {
    name: String,
    fields: HashMap<String, String>,
    parent: Option<String>,
}

impl Seen {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

impl Visit for Seen {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.fields
            .insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields
            .insert(field.name().to_string(), value.to_string());
    }
}

/// Keeps every span opened while it is the default subscriber, in order.
#[derive(Clone, Default)]
struct Spans {
    seen: Arc<Mutex<Vec<Seen>>>,
    at: Arc<Mutex<HashMap<u64, usize>>>,
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut seen = Seen {
            name: attrs.metadata().name().to_string(),
            parent: ctx
                .span(id)
                .and_then(|s| s.parent())
                .map(|p| p.name().to_string()),
            ..Seen::default()
        };
        attrs.record(&mut seen);
        let mut all = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        self.at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.into_u64(), all.len());
        all.push(seen);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let at = self.at.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&i) = at.get(&id.into_u64())
            && let Some(seen) = self
                .seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_mut(i)
        {
            values.record(seen);
        }
    }
}

impl Spans {
    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

struct Tally {
    n: i64,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum TallyEvent {
    Inc,
    Fail,
}

impl LiveView for Tally {
    type Message = ();
    type Event = TallyEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Tally { n: 0 })
    }

    async fn handle_event(&mut self, e: TallyEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        match e {
            TallyEvent::Inc => self.n += 1,
            TallyEvent::Fail => return Err(LiveError::msg("no")),
        }
        Ok(())
    }

    async fn handle_info(&mut self, _: (), _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.n += 10;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <p id="n">{self.n}</p>
            {live_component::<Part>("part", ())}
        }
    }
}

struct Part {
    clicks: u32,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum PartEvent {
    Click,
}

impl LiveComponent for Part {
    type Page = Tally;
    type Props = ();
    type Event = PartEvent;

    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        Part { clicks: 0 }
    }

    fn update(&mut self, _: ()) {}

    async fn handle_event(&mut self, _: PartEvent, _: &mut Ctx<Tally>) -> Result<(), LiveError> {
        self.clicks += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <b>{self.clicks}</b> }
    }
}

fn named<'a>(spans: &'a [Seen], name: &str) -> Vec<&'a Seen> {
    spans.iter().filter(|s| s.name == name).collect()
}

#[test]
fn every_step_runs_in_a_span_with_its_view_event_outcome_and_size() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    tracing::subscriber::with_default(subscriber, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let mut page = LiveTest::<Tally>::mount(Params::default(), Session::default())
                .await
                .expect("mount");
            let seen = spans.take();
            let mount = named(&seen, "mount");
            assert_eq!(mount.len(), 1, "{seen:?}");
            assert!(mount[0].field("view").is_some_and(|v| v.ends_with("Tally")));
            assert_eq!(mount[0].field("outcome"), Some("ok"));

            // An event: its span, and the render, diff and encoding inside it.
            let frames = page.event_frames("inc", json!({})).await;
            let seen = spans.take();
            let event = named(&seen, "handle_event");
            assert_eq!(event.len(), 1, "{seen:?}");
            assert_eq!(event[0].field("event"), Some("inc"));
            assert_eq!(event[0].field("outcome"), Some("ok"));
            assert!(event[0].field("view").is_some_and(|v| v.ends_with("Tally")));
            for inner in ["render", "diff", "encode"] {
                let s = named(&seen, inner);
                assert_eq!(s.len(), 1, "one {inner}: {seen:?}");
                assert_eq!(s[0].parent.as_deref(), Some("handle_event"), "{inner}");
            }
            assert_eq!(named(&seen, "diff")[0].field("ops"), Some("1"));
            let encode = named(&seen, "encode")[0];
            assert_eq!(encode.field("frame"), Some("patch"));
            let bytes = frames.last().map(String::len).unwrap_or_default();
            assert_eq!(encode.field("bytes"), Some(bytes.to_string().as_str()));

            // Outcomes: the code the client got.
            page.event_frames("nope", json!({})).await;
            page.event_frames("fail", json!({})).await;
            let seen = spans.take();
            let outcomes: Vec<_> = named(&seen, "handle_event")
                .iter()
                .map(|s| (s.field("event"), s.field("outcome")))
                .collect();
            assert_eq!(
                outcomes,
                [
                    (Some("nope"), Some("unknown_event")),
                    (Some("fail"), Some("handler_error"))
                ]
            );

            // A component's own event, and messages.
            page.event_to("part", "click", json!({}))
                .await
                .expect("click");
            page.send(());
            page.drain_info().await.expect("info");
            let seen = spans.take();
            let component = named(&seen, "component_event");
            assert_eq!(component.len(), 1, "{seen:?}");
            assert_eq!(component[0].field("component"), Some("part"));
            assert_eq!(component[0].field("outcome"), Some("ok"));
            let info = named(&seen, "handle_info");
            assert_eq!(info.len(), 1, "{seen:?}");
            assert_eq!(info[0].field("messages"), Some("1"));
            assert_eq!(info[0].field("outcome"), Some("ok"));
        });
    });
}

//! The counter demo: +1, −1, reset and a step field, with a server clock that ticks every second
//! from `handle_info` (unasked pushes that must not disturb what the user is typing).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use leptos::prelude::*;
use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, Session};
use leptos_live_components::{Button, Card, Link, LinkKind, NumberField, STYLES, Variant};

pub mod gallery;

/// The stylesheet generated from the sources' Tailwind classes at build time.
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/app.css"));

/// The counter page. Its count and step outlive a restart ([`LiveView::snapshot`]).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Counter {
    count: i64,
    step: i64,
    #[serde(skip)]
    clock: String,
}

/// What the counter's buttons and step field send.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// `+step`.
    Inc,
    /// `−step`.
    Dec,
    /// Back to zero.
    Reset,
    /// The step field changed; an empty or partial field while typing is `None`.
    SetStep {
        /// The new step.
        step: Option<i64>,
    },
}

/// Messages the counter gets from its own timer.
pub enum Tick {
    /// One second has passed.
    Second,
}

/// `HH:MM:SS` (UTC) of the current time.
fn clock_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    format!("{h:02}:{m:02}:{s:02}")
}

impl LiveView for Counter {
    type Message = Tick;
    type Event = Event;

    async fn mount(params: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ctx.send_after(Duration::from_secs(1), Tick::Second);
        let count = params
            .get("start")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(Counter {
            count,
            step: 1,
            clock: clock_now(),
        })
    }

    async fn handle_event(&mut self, event: Event, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        match event {
            Event::Inc => self.count += self.step,
            Event::Dec => self.count -= self.step,
            Event::Reset => self.count = 0,
            // An empty field while typing is not an error: keep the old step.
            Event::SetStep { step: None } => {}
            Event::SetStep { step: Some(step) } => self.step = step.clamp(-1_000_000, 1_000_000),
        }
        Ok(())
    }

    async fn handle_info(&mut self, msg: Tick, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match msg {
            Tick::Second => {
                self.clock = clock_now();
                ctx.send_after(Duration::from_secs(1), Tick::Second);
            }
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        counter_view(self.count, self.step, self.clock.clone())
    }

    fn title(&self) -> String {
        "Counter · leptos-live".to_string()
    }

    fn snapshot(&self) -> Option<serde_json::Value> {
        serde_json::to_value(self).ok()
    }

    async fn restore(
        state: serde_json::Value,
        _: &Params,
        _: &Session,
        ctx: &mut Ctx<Self>,
    ) -> Option<Self> {
        let mut counter: Counter = serde_json::from_value(state).ok()?;
        counter.clock = clock_now();
        ctx.send_after(Duration::from_secs(1), Tick::Second);
        Some(counter)
    }
}

/// What the counter page shows for a count, a step and the server's clock: the markup
/// [`Counter`] renders. A benchmark renders it too, without the engine, to time the render
/// alone.
///
/// ```
/// use leptos::prelude::*;
/// let html = demo_counter::counter_view(3, 1, "12:00:00".into()).to_html();
/// assert!(html.contains("12:00:00"));
/// assert!(html.contains(r#"id="count""#));
/// ```
pub fn counter_view(count: i64, step: i64, clock: String) -> impl IntoView {
    view! {
        <main class="flex min-h-screen items-center justify-center bg-slate-100 p-6">
            <Card title="Counter">
                <p id="count" class="mb-6 text-center text-7xl font-bold tabular-nums text-slate-900">{count}</p>
                <div class="mb-6 grid grid-cols-3 gap-3">
                    <Button event="dec" variant=Variant::Secondary>"−" {step}</Button>
                    <Button event="reset" variant=Variant::Danger>"Reset"</Button>
                    <Button event="inc">"+" {step}</Button>
                </div>
                <form lv-change="set_step" class="mb-6">
                    <NumberField name="step" label="Step" value=step />
                </form>
                <p class="text-center text-sm text-slate-500">
                    "Server time (UTC): " <time id="clock" class="font-mono">{clock}</time>
                </p>
                <p class="mt-4 text-center text-sm">
                    <Link to="/components" kind=LinkKind::Navigate>"The components"</Link>
                </p>
            </Card>
        </main>
    }
}

/// The demo app: the counter at `/` and the components gallery at `/components`, styled with
/// the generated stylesheet.
pub fn app(router: LiveRouter) -> axum::Router {
    app_with_engine(router).0
}

/// The demo app and its engine, to write the counters out when the process stops.
pub fn app_with_engine(router: LiveRouter) -> (axum::Router, leptos_live::LiveEngine) {
    router
        .head(format!("<style>{CSS}{STYLES}</style>"))
        .page::<Counter>("/")
        .page::<gallery::Gallery>("/components")
        .into_parts()
}

//! The counter page the benchmarks measure: fixed here, so that a change to the demo's page does
//! not move their series.

use std::time::Duration;

use leptos::prelude::*;
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, Session};

/// The counter alone: its number, the button that adds one, and a clock the server pushes every
/// second (as the demo's counter has), so that idle pages get pushes as real ones do.
pub struct MinimalCounter {
    count: u64,
    ticks: u64,
}

/// The counter's one event.
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CounterEvent {
    /// Adds one.
    Inc,
}

impl LiveView for MinimalCounter {
    type Message = ();
    type Event = CounterEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ctx.send_after(Duration::from_secs(1), ());
        Ok(MinimalCounter { count: 0, ticks: 0 })
    }

    async fn handle_event(&mut self, e: CounterEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        match e {
            CounterEvent::Inc => self.count += 1,
        }
        Ok(())
    }

    async fn handle_info(&mut self, _: (), ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.ticks += 1;
        ctx.send_after(Duration::from_secs(1), ());
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <main>
                <p id="count">{self.count}</p>
                <button lv-click="inc">"+1"</button>
                <p id="clock">{self.ticks}</p>
            </main>
        }
    }
}

/// The benchmarks' server: [`MinimalCounter`] at `/`, with room for as many pages waiting for
/// their socket as a benchmark opens at once.
pub fn app() -> axum::Router {
    let config = LiveConfig::default()
        .with_secret(b"bench-secret-bench-secret-bench!!".to_vec())
        .with_max_pending_pages(100_000);
    LiveRouter::with_config(config)
        .page::<MinimalCounter>("/")
        .into_router()
}

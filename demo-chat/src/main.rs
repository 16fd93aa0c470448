//! `cargo run -p demo-chat`: serves the chat on `127.0.0.1:3001` (`LEPTOS_SITE_ADDR` overrides
//! it, as it does the counter's `127.0.0.1:3000`), with its history in `chat.db` (`CHAT_DB`, or
//! `DATABASE_URL` for PostgreSQL), the images attached to messages in `attachments` beside it
//! (`CHAT_ATTACHMENTS` overrides it) and, with `REDIS_URL` set, rooms shared with other
//! processes. The log shows `info` and above (`RUST_LOG` overrides it), a refused event's
//! reason among them, and `GET /metrics` gives the engine's figures in Prometheus text. The
//! nickname in `CHAT_ADMIN` may open the dashboard at `/admin`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use leptos_live::SiteConfig;
use leptos_live::server::SiteError;
use tracing_subscriber::EnvFilter;

/// A fan-out allocates and frees a few small buffers per user from both worker threads;
/// mimalloc's per-thread heaps take that at about half the cost of the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the chat listens unless `LEPTOS_SITE_ADDR` says otherwise.
const DEFAULT_ADDR: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 3001);

/// How often the metrics' histogram samples are folded into their summaries.
const UPKEEP: std::time::Duration = std::time::Duration::from_secs(5);

/// What the log shows unless `RUST_LOG` says otherwise: `info` and above, so that the reason
/// `leptos_live` gives for an event it refused (`unknown_event`, `bad_payload`: a warning) shows.
const DEFAULT_LOG: &str = "info";

/// The site settings (`Leptos.toml`, [`SiteConfig::load`]), listening on `LEPTOS_SITE_ADDR`
/// when it is set and on [`DEFAULT_ADDR`] otherwise.
fn site() -> Result<SiteConfig, SiteError> {
    let mut site = SiteConfig::load()?;
    if std::env::var("LEPTOS_SITE_ADDR").is_err() {
        site.site_addr = DEFAULT_ADDR;
    }
    Ok(site)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG)),
        )
        .init();
    // What the engine records (pages, events, errors, frames, timings) is served at /metrics,
    // and shown by the dashboard at /admin.
    let prometheus = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let metrics = prometheus.handle();
    // A recorder built this way keeps every histogram sample until it is drained, by a scrape
    // of /metrics or by an upkeep (what `PrometheusBuilder::install` would run): without one, a
    // chat nobody scrapes holds a sample per render of every page.
    let upkeep = metrics.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP);
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    leptos_live::dashboard::Recorder::new()
        .forward_to(prometheus)
        .install()?;
    let site = site()?;
    let config = demo_chat::ChatConfig::from_env();
    let (app, engine) = demo_chat::app_with_engine(&config).await?;
    let app = app.route(
        "/metrics",
        axum::routing::get(move || std::future::ready(metrics.render())),
    );
    let listener = tokio::net::TcpListener::bind(site.site_addr).await?;
    println!("Chat demo: http://{}", listener.local_addr()?);
    leptos_live::serve(listener, app)
        .with_graceful_shutdown(engine.on_stop())
        .await?;
    Ok(())
}

//! `cargo run -p demo-counter`: serves the counter on the address from `Leptos.toml`
//! (`LEPTOS_SITE_ADDR` overrides it).

use leptos_live::{LiveRouter, SiteConfig};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let site = SiteConfig::load()?;
    let (app, engine) = demo_counter::app_with_engine(LiveRouter::new());
    let listener = tokio::net::TcpListener::bind(site.site_addr).await?;
    println!("Counter demo: http://{}", listener.local_addr()?);
    // On Ctrl-C or SIGTERM the counters are written out; a browser that comes back to the next
    // process within the retention window finds its count (a deploy, or the edit loop).
    leptos_live::serve(listener, app)
        .with_graceful_shutdown(engine.on_stop())
        .await?;
    Ok(())
}

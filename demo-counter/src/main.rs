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
    let app = demo_counter::app(LiveRouter::new());
    let listener = tokio::net::TcpListener::bind(site.site_addr).await?;
    println!("Counter demo: http://{}", listener.local_addr()?);
    leptos_live::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

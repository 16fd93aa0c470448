//! `cargo run -p demo-counter`: serves the counter on `127.0.0.1:3000` (`LEPTOS_SITE_ADDR`
//! overrides it, as it does the chat's `127.0.0.1:3001`). The log shows `info` and above
//! (`RUST_LOG` overrides it), a refused event's reason among them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use leptos_live::server::SiteError;
use leptos_live::{LiveRouter, SiteConfig};
use tracing_subscriber::EnvFilter;

/// Where the counter listens unless `LEPTOS_SITE_ADDR` says otherwise.
const DEFAULT_ADDR: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 3000);

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
    let site = site()?;
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

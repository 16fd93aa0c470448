//! `cargo run -p demo-chat`: serves the chat on `127.0.0.1:3001` (`CHAT_ADDR` overrides it),
//! with its history in `chat.db` (`CHAT_DB`, or `DATABASE_URL` for PostgreSQL), the images
//! attached to messages in `attachments` beside it (`CHAT_ATTACHMENTS` overrides it) and, with
//! `REDIS_URL` set, rooms shared with other processes.

use tracing_subscriber::EnvFilter;

/// A fan-out allocates and frees a few small buffers per user from both worker threads;
/// mimalloc's per-thread heaps take that at about half the cost of the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = demo_chat::ChatConfig::from_env();
    let (app, engine) = demo_chat::app_with_engine(&config).await?;
    let addr = std::env::var("CHAT_ADDR").unwrap_or_else(|_| "127.0.0.1:3001".to_string());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("Chat demo: http://{}", listener.local_addr()?);
    leptos_live::serve(listener, app)
        .with_graceful_shutdown(engine.on_stop())
        .await?;
    Ok(())
}

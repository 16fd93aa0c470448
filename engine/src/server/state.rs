//! The server's shared state: the route table, the registry of running pages, and how a page is
//! checked, mounted and started, for the HTTP render and the socket alike.

use std::collections::HashMap;
use std::net::IpAddr;

use sha2::{Digest as _, Sha256};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::http::{HeaderMap, Uri};
use tokio::sync::{mpsc, oneshot};

use crate::config::LiveConfig;
use crate::ctx::Services;
use crate::flash::Flash;
use crate::page::registry::{Quota, Registry};
use crate::page::session::Route;
use crate::page::session::{Group, Halt, Mounting};
use crate::page::task::{Control, Keep, MountArgs, MountError, Mounted, StartArgs, StartFn};
use crate::params::{Params, Session};
use crate::server::snapshot::Store;

/// A route pattern, its page, and the live session it belongs to.
pub(crate) struct RouteEntry {
    pub pattern: Arc<str>,
    pub route: Arc<dyn Route>,
    pub group: Arc<Group>,
}

pub(crate) type SessionFn = Arc<dyn Fn(&HeaderMap) -> Session + Send + Sync>;

/// Why a page did not mount.
pub(crate) enum Refused {
    /// An `on_mount` check sent the browser elsewhere.
    Halt(Halt),
    /// `mount` failed, panicked or took too long.
    Failed(MountError),
}

/// State shared by the HTTP handlers and every socket.
pub(crate) struct EngineState {
    pub config: Arc<LiveConfig>,
    pub secret: Arc<[u8]>,
    pub registry: Arc<Registry>,
    pub routes: Vec<RouteEntry>,
    pub by_pattern: HashMap<Arc<str>, usize>,
    pub next_conn: AtomicU64,
    pub services: Services,
    pub head: String,
    pub session: SessionFn,
    /// Where page state goes when the process stops, or a page's socket stays away past the
    /// retention window.
    pub snapshots: Option<Arc<Store>>,
    /// Where an absent page's state goes past the retention window ([`EngineState::keeper`]).
    pub keep: Option<Keep>,
    /// The long-poll sessions open in this process.
    pub polls: crate::server::poll::Polls,
    /// The colocated hooks' modules by name, as the root's `lv-hooks` holds them (JSON), when
    /// the app has any ([`crate::LiveRouter::hook`]).
    pub hook_urls: Option<String>,
}

impl EngineState {
    /// The route with this pattern (as a token names it).
    pub(crate) fn route(&self, pattern: &str) -> Option<&RouteEntry> {
        self.by_pattern.get(pattern).map(|&i| &self.routes[i])
    }

    /// The route that serves `uri`'s path, and the params it gives: a pattern without
    /// parameters wins over one with them; among those with, the first given. (axum ranks
    /// segment by segment; for live pages whose patterns overlap beyond that, give the more
    /// specific first.)
    pub(crate) fn route_for(&self, uri: &Uri) -> Option<(&RouteEntry, Params)> {
        let literal = |e: &&RouteEntry| !e.pattern.contains('{');
        let (statics, dynamics): (Vec<&RouteEntry>, Vec<&RouteEntry>) = self
            .routes
            .iter()
            .filter(|e| !e.pattern.starts_with('@'))
            .partition(literal);
        statics
            .into_iter()
            .chain(dynamics)
            .find_map(|e| Params::for_route(&e.pattern, uri).map(|p| (e, p)))
    }

    /// Runs the live session's checks, then mounts the page (within `mount_timeout`). Returns
    /// what the checks passed on too, for the layout.
    pub(crate) async fn prepare(
        &self,
        entry: &RouteEntry,
        uri: Uri,
        params: Params,
        session: Session,
        flash: Flash,
        snapshot: Option<serde_json::Value>,
    ) -> Result<(Mounted, Mounting), Refused> {
        let checked = entry
            .group
            .check(Mounting::new(params, session, uri))
            .await
            .map_err(Refused::Halt)?;
        let limit = self.config.mount_timeout;
        let args = MountArgs::checked(
            &checked,
            entry.pattern.clone(),
            self.services.clone(),
            flash,
            snapshot,
        );
        let mounted = tokio::time::timeout(limit, entry.route.mount(args))
            .await
            .unwrap_or(Err(MountError::TimedOut(limit)))
            .map_err(Refused::Failed)?;
        Ok((mounted, checked))
    }

    /// Counts a page for `peer` and `session`, within `max_pages_per_ip` and
    /// `max_pages_per_session`; `Err` names what is at its limit.
    /// `slack` pages more are allowed (a navigation, whose old page is about to end).
    pub(crate) fn quota(
        &self,
        peer: Option<IpAddr>,
        session: &Session,
        slack: usize,
    ) -> Result<Quota, String> {
        let mut keys = Vec::new();
        if let Some(ip) = peer {
            keys.push((
                format!("ip:{ip}").into(),
                self.config.max_pages_per_ip + slack,
            ));
        }
        if *session != Session::default() {
            let digest = Sha256::digest(serde_json::to_vec(session).unwrap_or_default());
            let key: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
            keys.push((
                format!("session:{key}").into(),
                self.config.max_pages_per_session + slack,
            ));
        }
        self.registry.claim(keys).map_err(|full| {
            let what = if full.starts_with("ip:") {
                "this address"
            } else {
                "this session"
            };
            format!("too many pages open for {what}")
        })
    }

    /// Writes the snapshot of every running page that keeps one; how many were written.
    pub(crate) async fn snapshot_all(&self) -> usize {
        let Some(store) = &self.snapshots else {
            return 0;
        };
        let ttl = self.config.retention_window.as_secs().max(1);
        let mut written = 0;
        for (id, ctl) in self.registry.all() {
            let (done, answer) = oneshot::channel();
            if ctl.send(Control::Snapshot { done }).await.is_err() {
                continue;
            }
            let Ok(Ok(Some((page, state)))) =
                tokio::time::timeout(std::time::Duration::from_secs(2), answer).await
            else {
                continue;
            };
            match store.save(&id, &page, state, ttl).await {
                Ok(()) => written += 1,
                Err(e) => {
                    tracing::error!(store = %store.describe(), "cannot write a snapshot: {e}")
                }
            }
        }
        tracing::info!(written, "page snapshots written");
        written
    }

    /// What keeps a page whose socket stayed away past the retention window: its snapshot,
    /// written to `store` for [`LiveConfig::snapshot_ttl`], the store holding at most
    /// [`LiveConfig::max_snapshots`]. Made once; every page gets a handle to it.
    pub(crate) fn keeper(config: &LiveConfig, store: Option<&Arc<Store>>) -> Option<Keep> {
        let store = store?.clone();
        let ttl = config.snapshot_ttl.as_secs().max(1);
        let cap = config.max_snapshots;
        Some(Arc::new(move |id: Arc<str>, page: Arc<str>, state| {
            let store = store.clone();
            tokio::spawn(async move {
                match store.save(&id, &page, state, ttl).await {
                    Ok(()) => {
                        tracing::debug!(page = %id, "an absent page's state is kept for its return");
                        store.cap(cap).await;
                    }
                    Err(e) => {
                        tracing::error!(store = %store.describe(), "cannot keep an absent page's state: {e}")
                    }
                }
            });
        }))
    }

    /// Starts a mounted page's task under `id` and registers it. When a running page already
    /// holds the id (two sockets mounted it at once), that page is returned instead and the new
    /// one ends at once, its queue's only sender being dropped.
    pub(crate) fn start(
        &self,
        start: StartFn,
        id: Arc<str>,
        adopted: bool,
        quota: Option<Quota>,
    ) -> Result<mpsc::Sender<Control>, mpsc::Sender<Control>> {
        let generation = self.registry.next_generation();
        let ctl = start(StartArgs {
            id: id.clone(),
            generation,
            registry: self.registry.clone(),
            config: self.config.clone(),
            adopted,
            quota,
            keep: self.keep.clone(),
        });
        match self.registry.insert(id, generation, ctl.clone()) {
            Some(running) => Err(running),
            None => Ok(ctl),
        }
    }
}

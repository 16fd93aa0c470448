//! Engine settings: the token secret, the adoption and retention windows, and limits.

use std::sync::Arc;
use std::time::Duration;

/// How the engine behaves; every field has a sensible default.
///
/// ```
/// use std::time::Duration;
/// use leptos_live::LiveConfig;
/// let config = LiveConfig::default()
///     .with_secret(b"a secret of at least thirty-two bytes!".to_vec())
///     .with_retention_window(Duration::from_secs(60));
/// assert_eq!(config.retention_window, Duration::from_secs(60));
/// ```
#[derive(Clone, Debug)]
pub struct LiveConfig {
    /// HMAC key for page tokens. Unset means a random key per process (tokens do not survive a
    /// restart or cross servers), with a warning in the log.
    pub secret: Option<Arc<[u8]>>,
    /// How long the state mounted for an HTTP render waits for its socket (default 10 s).
    pub adoption_window: Duration,
    /// How long a page whose socket dropped is kept for a reconnect (default 30 s).
    pub retention_window: Duration,
    /// How many mounted pages may wait for adoption at once (default 10,000); beyond it, an HTTP
    /// render keeps no state and the socket mounts again.
    pub max_pending_pages: usize,
    /// The oldest token a join accepts (default 24 h).
    pub token_max_age: Duration,
    /// The largest frame a client may send (default 64 KiB).
    pub max_frame_bytes: usize,
    /// A socket with no frame for this long is closed (default 60 s; the shim beats every 25 s).
    pub heartbeat_timeout: Duration,
    /// Where the engine serves its socket and script (default `/live`).
    pub mount_path: String,
    /// Pages whose HTML is larger keep their parsed tree between renders; smaller ones keep only
    /// their HTML and parse it again on the next change (default 16 KiB). Lower it to spend
    /// memory for speed, raise it to spend speed for memory.
    pub keep_tree_above_bytes: usize,
    /// How long after its last event a page keeps its parsed tree whatever its size (default
    /// 5 s): events come in bursts, and each then parses only the new render.
    pub hot_window: Duration,
    /// The longest a page's `mount` may take (default 30 s); past it the HTTP render answers
    /// 500 and a join gets `mount_failed`.
    pub mount_timeout: Duration,
    /// Origins besides the page's own that may open the socket (`https://app.example.com`).
    /// A browser's upgrade from any other origin gets 403 (default: none; same origin only).
    pub allowed_origins: Vec<String>,
    /// Events one socket may send per second, on average (default 100); bursts up to twice as
    /// many pass. Beyond that an event gets `rate_limited` and is dropped.
    pub max_events_per_sec: u32,
    /// Bytes of frames one socket may send per second, on average (default 1 MiB), with the
    /// same burst.
    pub max_bytes_per_sec: u32,
    /// Upload chunks (binary frames) one socket may send per second, on average (default
    /// 5,000: over 300 MB/s in 64 KiB chunks), with the same burst. Past it the socket waits
    /// before reading on; chunks are never dropped.
    pub max_chunks_per_sec: u32,
    /// Where [`crate::LiveEngine::shutdown`] writes the snapshots of pages that keep their
    /// state across a restart (default: `leptos-live-snapshots` in the system's temporary
    /// directory; `LEPTOS_LIVE_SNAPSHOTS` sets it). `None` keeps none.
    pub snapshot_dir: Option<std::path::PathBuf>,
    /// A Redis server (`redis://…`) that keeps the snapshots instead of `snapshot_dir`: every
    /// process of a deploy reads them, so a page resumes on whichever process its browser
    /// reaches next (`LEPTOS_LIVE_SNAPSHOTS=redis://…` sets it).
    pub snapshot_redis: Option<String>,
    /// Pages whose socket stayed away past the retention window are written to the snapshot
    /// store when their view keeps a snapshot ([`crate::LiveView::snapshot`]), instead of being
    /// dropped: a tab that comes back later (a phone that slept, a tab restored from the
    /// back-forward cache) resumes its state. They are kept this long (default a day; the
    /// page's token must still be valid, [`LiveConfig::token_max_age`]).
    pub snapshot_ttl: Duration,
    /// The most snapshots of absent pages the store keeps (default 100,000); past it the oldest
    /// go first.
    pub max_snapshots: usize,
    /// Pages one client address may have mounted at once (default 50,000: addresses many
    /// people share, such as a NAT or a proxy, count as one); past it an HTTP render gets 429
    /// and a join `too_many_pages`. Known only when served by [`crate::serve`] (or with axum's
    /// `ConnectInfo<SocketAddr>`).
    pub max_pages_per_ip: usize,
    /// Pages one session may have mounted at once (default 100).
    pub max_pages_per_session: usize,
    /// Where uploads write their temporary files (default: `leptos-live-uploads` in the
    /// system's temporary directory; `LEPTOS_LIVE_UPLOADS` sets it). Put it on the disk the
    /// app moves the files to, so that a move is a rename.
    pub upload_dir: Option<std::path::PathBuf>,
    /// The edit loop's status file (`cargo xtask dev` sets `LEPTOS_LIVE_DEV` to it): when set,
    /// pages load a development script that shows build errors over the page and refreshes
    /// the styles after a rebuild, and the engine serves that script and the status. Never set
    /// it in production.
    pub dev_status: Option<std::path::PathBuf>,
    /// Marks in the rendered HTML which code produced an element, for the browser's
    /// inspector: the first element a page renders gets `data-lv-view` (the page's type), and
    /// each [`crate::LiveComponent`]'s root `data-lv-component` (its type) and `data-lv-src`
    /// (the file, line and column of its [`crate::live_component`] call); in a debug build,
    /// each element of a template written with [`crate::view!`] gets `data-lv-at` (its file and
    /// line). On by default under the edit loop (`LEPTOS_LIVE_DEV`), off otherwise: off, not a
    /// byte is added.
    pub debug_annotations: bool,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            secret: None,
            adoption_window: Duration::from_secs(10),
            retention_window: Duration::from_secs(30),
            max_pending_pages: 10_000,
            token_max_age: Duration::from_secs(24 * 3600),
            max_frame_bytes: 64 * 1024,
            heartbeat_timeout: Duration::from_secs(60),
            mount_path: "/live".to_string(),
            keep_tree_above_bytes: 16 * 1024,
            hot_window: Duration::from_secs(5),
            mount_timeout: Duration::from_secs(30),
            allowed_origins: Vec::new(),
            max_events_per_sec: 100,
            max_bytes_per_sec: 1 << 20,
            max_chunks_per_sec: 5_000,
            snapshot_dir: Some(std::env::temp_dir().join("leptos-live-snapshots")),
            snapshot_redis: None,
            snapshot_ttl: Duration::from_secs(24 * 3600),
            max_snapshots: 100_000,
            max_pages_per_ip: 50_000,
            max_pages_per_session: 100,
            upload_dir: None,
            dev_status: None,
            debug_annotations: false,
        }
    }
}

impl LiveConfig {
    /// Defaults, with the secret from the `LEPTOS_LIVE_SECRET` environment variable when set,
    /// and `LEPTOS_LIVE_UPLOADS`, `LEPTOS_LIVE_SNAPSHOTS` and `LEPTOS_LIVE_DEV` for the fields
    /// they name (`LEPTOS_LIVE_DEV` turns [`LiveConfig::debug_annotations`] on too).
    ///
    /// ```
    /// // LEPTOS_LIVE_SECRET, LEPTOS_LIVE_UPLOADS, LEPTOS_LIVE_SNAPSHOTS and LEPTOS_LIVE_DEV, when set.
    /// let config = leptos_live::LiveConfig::from_env();
    /// let router = leptos_live::LiveRouter::with_config(config); // what LiveRouter::new does
    /// ```
    pub fn from_env() -> Self {
        let mut c = LiveConfig::default();
        if let Ok(s) = std::env::var("LEPTOS_LIVE_SECRET")
            && !s.is_empty()
        {
            c.secret = Some(s.into_bytes().into());
        }
        if let Ok(dir) = std::env::var("LEPTOS_LIVE_UPLOADS")
            && !dir.is_empty()
        {
            c.upload_dir = Some(dir.into());
        }
        if let Ok(path) = std::env::var("LEPTOS_LIVE_DEV")
            && !path.is_empty()
        {
            c.dev_status = Some(path.into());
            c.debug_annotations = true;
        }
        if let Ok(dir) = std::env::var("LEPTOS_LIVE_SNAPSHOTS")
            && !dir.is_empty()
        {
            if dir.starts_with("redis://") {
                c.snapshot_redis = Some(dir);
            } else {
                c.snapshot_dir = Some(dir.into());
            }
        }
        c
    }

    /// Turns the debug annotations ([`LiveConfig::debug_annotations`]) on or off.
    ///
    /// ```
    /// use leptos_live::LiveConfig;
    /// let config = LiveConfig::default().with_debug_annotations(true);
    /// assert!(config.debug_annotations);
    /// assert!(!LiveConfig::default().debug_annotations);   // off unless asked (or LEPTOS_LIVE_DEV)
    /// ```
    pub fn with_debug_annotations(mut self, on: bool) -> Self {
        self.debug_annotations = on;
        self
    }

    /// Sets the token secret.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_secret(b"thirty-two bytes or more of secret".to_vec());
    /// assert!(config.secret.is_some());
    /// ```
    pub fn with_secret(mut self, secret: impl Into<Vec<u8>>) -> Self {
        self.secret = Some(secret.into().into());
        self
    }

    /// Sets the adoption window.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = leptos_live::LiveConfig::default().with_adoption_window(Duration::from_secs(5));
    /// assert_eq!(config.adoption_window, Duration::from_secs(5));
    /// ```
    pub fn with_adoption_window(mut self, d: Duration) -> Self {
        self.adoption_window = d;
        self
    }

    /// Sets the retention window.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = leptos_live::LiveConfig::default().with_retention_window(Duration::from_secs(120));
    /// assert_eq!(config.retention_window, Duration::from_secs(120));
    /// ```
    pub fn with_retention_window(mut self, d: Duration) -> Self {
        self.retention_window = d;
        self
    }

    /// Sets the cap on pages waiting for adoption.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_max_pending_pages(1_000);
    /// assert_eq!(config.max_pending_pages, 1_000);
    /// ```
    pub fn with_max_pending_pages(mut self, n: usize) -> Self {
        self.max_pending_pages = n;
        self
    }

    /// Sets the oldest token a join accepts.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = leptos_live::LiveConfig::default().with_token_max_age(Duration::from_secs(3600));
    /// assert_eq!(config.token_max_age, Duration::from_secs(3600));
    /// ```
    pub fn with_token_max_age(mut self, d: Duration) -> Self {
        self.token_max_age = d;
        self
    }

    /// Lets pages of `origin` (scheme, host and port, as browsers send it) open the socket.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_allowed_origin("https://app.example.com");
    /// assert_eq!(config.allowed_origins, ["https://app.example.com"]);
    /// ```
    pub fn with_allowed_origin(mut self, origin: impl Into<String>) -> Self {
        self.allowed_origins.push(origin.into());
        self
    }

    /// Sets where uploads write their temporary files.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_upload_dir("/var/lib/app/incoming");
    /// assert_eq!(config.upload_dir.as_deref(), Some(std::path::Path::new("/var/lib/app/incoming")));
    /// ```
    pub fn with_upload_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.upload_dir = Some(dir.into());
        self
    }

    /// Keeps snapshots in the Redis server at `url` (`redis://…`), which every process reaches
    /// (with the `redis` feature; without it, snapshots are off and the log says why).
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_snapshot_redis("redis://127.0.0.1:6379");
    /// assert_eq!(config.snapshot_redis.as_deref(), Some("redis://127.0.0.1:6379"));
    /// ```
    pub fn with_snapshot_redis(mut self, url: impl Into<String>) -> Self {
        self.snapshot_redis = Some(url.into());
        self
    }

    /// Sets where snapshots go (`None`: nowhere).
    ///
    /// ```
    /// let none = leptos_live::LiveConfig::default().with_snapshot_dir(None);
    /// assert!(none.snapshot_dir.is_none());
    /// ```
    pub fn with_snapshot_dir(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.snapshot_dir = dir;
        self
    }

    /// Sets how long the state of a page whose socket stayed away is kept for its return.
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = leptos_live::LiveConfig::default().with_snapshot_ttl(Duration::from_secs(3600));
    /// assert_eq!(config.snapshot_ttl, Duration::from_secs(3600));
    /// ```
    pub fn with_snapshot_ttl(mut self, d: Duration) -> Self {
        self.snapshot_ttl = d;
        self
    }

    /// Sets how many snapshots of absent pages the store keeps at most.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_max_snapshots(1_000);
    /// assert_eq!(config.max_snapshots, 1_000);
    /// ```
    pub fn with_max_snapshots(mut self, n: usize) -> Self {
        self.max_snapshots = n;
        self
    }

    /// Sets how many pages one client address and one session may have mounted at once.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_max_pages(1_000, 20);
    /// assert_eq!((config.max_pages_per_ip, config.max_pages_per_session), (1_000, 20));
    /// ```
    pub fn with_max_pages(mut self, per_ip: usize, per_session: usize) -> Self {
        self.max_pages_per_ip = per_ip;
        self.max_pages_per_session = per_session;
        self
    }

    /// Sets the events a socket may send per second.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_max_events_per_sec(20);
    /// assert_eq!(config.max_events_per_sec, 20);
    /// ```
    pub fn with_max_events_per_sec(mut self, n: u32) -> Self {
        self.max_events_per_sec = n;
        self
    }

    /// Sets the largest accepted client frame.
    ///
    /// ```
    /// let config = leptos_live::LiveConfig::default().with_max_frame_bytes(16 * 1024);
    /// assert_eq!(config.max_frame_bytes, 16 * 1024);
    /// ```
    pub fn with_max_frame_bytes(mut self, n: usize) -> Self {
        self.max_frame_bytes = n;
        self
    }
}

//! Site settings from `Leptos.toml`, read at run time, with cargo-leptos key names.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Why the site settings could not be read.
///
/// ```
/// use leptos_live::SiteConfig;
/// use leptos_live::server::SiteError;
/// let err = SiteConfig::from_toml_str("site-addr = \"nowhere\"").unwrap_err();
/// assert!(matches!(err, SiteError::Addr(_)));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has a value of the wrong type.
    #[error("invalid {path}: {source}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parse error.
        source: toml::de::Error,
    },
    /// The address (from the file or `LEPTOS_SITE_ADDR`) is not `host:port`.
    #[error("invalid site address {0:?}")]
    Addr(String),
}

/// The settings a leptos-live app reads at start.
///
/// ```
/// use leptos_live::SiteConfig;
/// let site = SiteConfig::from_toml_str("site-addr = \"127.0.0.1:4000\"").unwrap();
/// assert_eq!(site.site_addr.port(), 4000);
/// ```
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// The address to listen on (`site-addr`, overridden by `LEPTOS_SITE_ADDR`).
    pub site_addr: SocketAddr,
    /// Where static files are served from (`site-root`).
    pub site_root: PathBuf,
    /// The stylesheet's source, when the site has one (`style-file`).
    pub style_file: Option<PathBuf>,
    /// `DEV` or `PROD` (`env`, overridden by `LEPTOS_ENV`).
    pub env: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawSite {
    site_addr: Option<String>,
    site_root: Option<PathBuf>,
    style_file: Option<PathBuf>,
    env: Option<String>,
}

impl SiteConfig {
    /// Reads `Leptos.toml` from the path in `LEPTOS_CONFIG`, or the nearest one in the current
    /// directory or above it; defaults when there is none. Environment variables override it.
    ///
    /// ```
    /// // Leptos.toml (or LEPTOS_CONFIG) from here or a parent folder, then LEPTOS_SITE_ADDR and LEPTOS_ENV.
    /// let site = leptos_live::SiteConfig::load()?;
    /// println!("listening on {}", site.site_addr);
    /// # Ok::<(), leptos_live::server::SiteError>(())
    /// ```
    pub fn load() -> Result<Self, SiteError> {
        let path = std::env::var_os("LEPTOS_CONFIG")
            .map(PathBuf::from)
            .or_else(find_leptos_toml);
        let mut site = match path {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|source| SiteError::Io {
                    path: path.clone(),
                    source,
                })?;
                Self::parse(&text, &path)?
            }
            None => Self::from_toml_str("")?,
        };
        if let Ok(addr) = std::env::var("LEPTOS_SITE_ADDR") {
            site.site_addr = addr.parse().map_err(|_| SiteError::Addr(addr))?;
        }
        if let Ok(env) = std::env::var("LEPTOS_ENV") {
            site.env = env;
        }
        Ok(site)
    }

    /// Settings from TOML text (no environment overrides).
    ///
    /// ```
    /// let site = leptos_live::SiteConfig::from_toml_str("").unwrap();   // every default
    /// assert_eq!(site.env, "DEV");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self, SiteError> {
        Self::parse(text, Path::new("Leptos.toml"))
    }

    fn parse(text: &str, path: &Path) -> Result<Self, SiteError> {
        let raw: RawSite = toml::from_str(text).map_err(|source| SiteError::Toml {
            path: path.to_path_buf(),
            source,
        })?;
        let addr = raw
            .site_addr
            .unwrap_or_else(|| "127.0.0.1:3000".to_string());
        Ok(SiteConfig {
            site_addr: addr.parse().map_err(|_| SiteError::Addr(addr))?,
            site_root: raw
                .site_root
                .unwrap_or_else(|| PathBuf::from("target/site")),
            style_file: raw.style_file,
            env: raw.env.unwrap_or_else(|| "DEV".to_string()),
        })
    }
}

fn find_leptos_toml() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|d| d.join("Leptos.toml"))
        .find(|p| p.is_file())
}

//! Snapshots in a directory: one JSON file per page.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Stored, is_page_id};
use crate::wire::ids::now_secs;

/// A directory of snapshots, by page id.
#[derive(Clone, Debug)]
pub(crate) struct DirStore {
    dir: PathBuf,
}

impl DirStore {
    pub(crate) fn new(dir: PathBuf) -> DirStore {
        DirStore { dir }
    }

    /// The file of page `id`; `None` for anything but the hex ids the engine makes.
    fn path(&self, id: &str) -> Option<PathBuf> {
        is_page_id(id).then(|| self.dir.join(format!("{id}.json")))
    }

    /// Writes the snapshot of page `id`.
    pub(crate) fn save(&self, id: &str, stored: &Stored) -> std::io::Result<()> {
        let Some(path) = self.path(id) else {
            return Ok(());
        };
        std::fs::create_dir_all(&self.dir)?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, stored.to_json())?;
        std::fs::rename(tmp, path)
    }

    /// Takes the state of page `id` at `page` (the file goes): once, fresh, and only for the
    /// page it came from.
    pub(crate) fn take(&self, id: &str, page: &str) -> Option<Value> {
        let path = self.path(id)?;
        let bytes = std::fs::read(&path).ok()?;
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!(path = %path.display(), "cannot remove a used snapshot: {e}");
        }
        Stored::open(&bytes, page)
    }

    /// Removes the snapshots that expired.
    pub(crate) fn purge(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = now_secs();
        for entry in entries.flatten() {
            let path = entry.path();
            let stale = std::fs::read(&path)
                .ok()
                .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
                .is_none_or(|s| s.expires < now);
            if stale && path.extension().is_some_and(|e| e == "json") {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    /// Removes the oldest snapshots (by when they were written) past the `max` newest.
    pub(crate) fn cap(&self, max: usize) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        if files.len() <= max {
            return;
        }
        files.sort();
        let excess = files.len() - max;
        for (_, path) in files.into_iter().take(excess) {
            let _ = std::fs::remove_file(path);
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// A token secret kept in `dir` (made on first use, readable by its owner only), for
    /// development without `LEPTOS_LIVE_SECRET`: restarts of the edit loop accept the tokens
    /// of the pages open in the browser. `None` when it cannot be kept.
    pub(crate) fn dev_secret(dir: &Path) -> Option<Vec<u8>> {
        let path = dir.join("dev-secret");
        if let Ok(bytes) = std::fs::read(&path)
            && bytes.len() >= 32
        {
            return Some(bytes);
        }
        std::fs::create_dir_all(dir).ok()?;
        let secret: String = crate::wire::ids::random_bytes(32)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&path).ok()?;
        std::io::Write::write_all(&mut file, secret.as_bytes()).ok()?;
        Some(secret.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_restores_once_its_own_page_only() {
        let dir = std::env::temp_dir().join(format!("lv-snap-test-{}", std::process::id()));
        let store = DirStore::new(dir.clone());
        store
            .save(
                "ab12",
                &Stored::new("/", serde_json::json!({"count": 5}), 30),
            )
            .unwrap();
        assert_eq!(store.take("ab12", "/other"), None, "another page's");
        store
            .save(
                "ab12",
                &Stored::new("/", serde_json::json!({"count": 5}), 30),
            )
            .unwrap();
        assert_eq!(
            store.take("ab12", "/"),
            Some(serde_json::json!({"count": 5}))
        );
        assert_eq!(store.take("ab12", "/"), None, "once");
        assert_eq!(store.take("../etc/passwd", "/"), None);
        store
            .save("cd34", &Stored::new("/", serde_json::json!(1), 0))
            .unwrap();
        std::fs::write(dir.join("ef56.json"), b"not json").unwrap();
        store.purge();
        assert!(!dir.join("ef56.json").exists(), "unreadable snapshots go");
        let _ = std::fs::remove_dir_all(dir);
    }
}

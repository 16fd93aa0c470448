//! `cargo xtask dev [-p PACKAGE]`: the edit loop. It builds the package's binary, runs it, and
//! on every change to the workspace's sources builds again; after a good build it stops the
//! server gracefully (SIGTERM: the engine writes out the pages that keep their state) and
//! starts the new one, so every open tab resumes with its state and the new code's HTML.
//!
//! The server runs with `LEPTOS_LIVE_DEV` set to the loop's status file, so that its pages load
//! the engine's development script: a build error shows over the page until the next good
//! build, a badge shows while a build runs, and the styles are taken again after a restart.
//! `LEPTOS_LIVE_SNAPSHOTS` defaults to a directory of the loop's, so pages keep their state
//! across restarts with no setting.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The package the loop runs when `-p` is not given: the main demo.
const DEFAULT_PACKAGE: &str = "demo-chat";

/// How often the sources are looked at.
const POLL: Duration = Duration::from_millis(250);

/// How long the sources must stay still before a build starts (an editor saving several
/// files, a `git checkout`).
const SETTLE: Duration = Duration::from_millis(150);

/// How long a server has to stop before it is killed.
const STOP_WITHIN: Duration = Duration::from_secs(15);

/// The most of a failed build's output the tab is shown.
const ERROR_SHOWN: usize = 64 * 1024;

/// Files whose change means a build: sources, manifests, and what sources include.
const WATCHED: &[&str] = &["rs", "toml", "css", "js", "html", "md", "sql", "json"];

/// What the loop works with.
struct Loop {
    cargo: String,
    root: PathBuf,
    package: String,
    status: PathBuf,
    snapshots: PathBuf,
}

/// Runs the loop with the command line's arguments (after `dev`); returns only on a usage
/// error or when the workspace cannot be found.
pub fn run(args: &[String]) -> i32 {
    let package = match args {
        [] => DEFAULT_PACKAGE.to_string(),
        [flag, name] if flag == "-p" || flag == "--package" => name.clone(),
        _ => {
            eprintln!("usage: cargo xtask dev [-p PACKAGE]");
            return 2;
        }
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let Some(root) = workspace_root(&cargo) else {
        eprintln!("xtask dev: no cargo workspace here");
        return 1;
    };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("lv-dev").join(&package);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("xtask dev: cannot create {}: {e}", dir.display());
        return 1;
    }
    let dev = Loop {
        cargo,
        root,
        package,
        status: dir.join("status.json"),
        snapshots: dir.join("snapshots"),
    };
    dev.forever()
}

/// The directory of the workspace's `Cargo.toml`, as cargo finds it from here.
fn workspace_root(cargo: &str) -> Option<PathBuf> {
    let out = Command::new(cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .ok()?;
    let manifest = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    out.status
        .success()
        .then(|| manifest.parent().map(Path::to_path_buf))?
}

impl Loop {
    fn forever(&self) -> i32 {
        let mut server: Option<Child> = None;
        let mut build = 0u64;
        loop {
            build += 1;
            let sources = fingerprint(&self.root);
            self.write_status("building", build, None);
            eprintln!("xtask dev: building {} (build {build})", self.package);
            match self.build() {
                Ok(exe) => {
                    if let Some(old) = server.take() {
                        stop(old);
                    }
                    match self.start(&exe) {
                        Ok(child) => server = Some(child),
                        Err(e) => eprintln!("xtask dev: cannot start {}: {e}", exe.display()),
                    }
                    self.write_status("ok", build, None);
                }
                Err(output) => {
                    eprintln!("xtask dev: the build failed; the last good build keeps running");
                    self.write_status("error", build, Some(&output));
                }
            }
            let mut exited = false;
            loop {
                thread::sleep(POLL);
                if let Some(child) = server.as_mut()
                    && !exited
                    && let Ok(Some(status)) = child.try_wait()
                {
                    eprintln!("xtask dev: the server stopped ({status}); waiting for a change");
                    exited = true;
                }
                if fingerprint(&self.root) != sources {
                    // Let a burst of saves end.
                    let mut last = fingerprint(&self.root);
                    loop {
                        thread::sleep(SETTLE);
                        let now = fingerprint(&self.root);
                        if now == last {
                            break;
                        }
                        last = now;
                    }
                    break;
                }
            }
        }
    }

    /// Builds the package; its binary's path, or what cargo said when it failed.
    fn build(&self) -> Result<PathBuf, String> {
        let mut child = Command::new(&self.cargo)
            .args(["build", "-p", &self.package])
            .args(["--message-format", "json-render-diagnostics"])
            .current_dir(&self.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        // The compiler's words go to the terminal as they come, and are kept for the tab.
        let mut stderr = child.stderr.take().ok_or("no stderr")?;
        let echo = thread::spawn(move || {
            let mut kept = String::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let _ = std::io::stderr().write_all(&buf[..n]);
                if kept.len() < ERROR_SHOWN {
                    kept.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
            kept
        });
        let mut exe = None;
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("\"reason\":\"compiler-artifact\"")
                    && line.contains("\"kind\":[\"bin\"]")
                    && let Some(path) = executable(&line)
                {
                    exe = Some(path);
                }
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        let said = echo.join().unwrap_or_default();
        match (status.success(), exe) {
            (true, Some(exe)) => Ok(exe),
            (true, None) => Err(format!("{} has no binary to run", self.package)),
            (false, _) => Err(strip_ansi(&said)),
        }
    }

    /// Starts the server, its output on the terminal.
    fn start(&self, exe: &Path) -> std::io::Result<Child> {
        let mut cmd = Command::new(exe);
        cmd.current_dir(&self.root)
            .env("LEPTOS_LIVE_DEV", &self.status);
        if std::env::var_os("LEPTOS_LIVE_SNAPSHOTS").is_none() {
            cmd.env("LEPTOS_LIVE_SNAPSHOTS", &self.snapshots);
        }
        cmd.spawn()
    }

    /// Writes the status the pages' development script reads, whole or not at all.
    fn write_status(&self, state: &str, build: u64, error: Option<&str>) {
        let mut json = format!("{{\"state\":\"{state}\",\"build\":{build}");
        if let Some(error) = error {
            json.push_str(",\"error\":");
            json_string(error, &mut json);
        }
        json.push('}');
        let part = self.status.with_extension("json.part");
        let written =
            std::fs::write(&part, json).and_then(|()| std::fs::rename(&part, &self.status));
        if let Err(e) = written {
            eprintln!("xtask dev: cannot write {}: {e}", self.status.display());
        }
    }
}

/// Stops a server gracefully (SIGTERM), or kills it when it takes too long.
fn stop(mut child: Child) {
    let asked = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    let until = Instant::now() + STOP_WITHIN;
    while asked && Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    eprintln!("xtask dev: the server did not stop in time; killing it");
    let _ = child.kill();
    let _ = child.wait();
}

/// A hash of every watched file's path, size and modification time under `root` (without
/// `target`, hidden directories and `node_modules`).
fn fingerprint(root: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if meta.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    dirs.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|x| WATCHED.iter().any(|w| x == *w))
            {
                path.hash(&mut hasher);
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// The `"executable"` path of one of cargo's JSON messages, if it has one.
fn executable(line: &str) -> Option<PathBuf> {
    let rest = &line[line.find("\"executable\":\"")? + "\"executable\":\"".len()..];
    let mut path = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(PathBuf::from(path)),
            '\\' => path.push(chars.next()?),
            c => path.push(c),
        }
    }
    None
}

/// `text` without the terminal's colour codes (cargo colours its output on a terminal).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Appends `s` as a JSON string.
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_executable_of_a_cargo_message() {
        let line = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"demo"},"executable":"/w/target/debug/demo","fresh":true}"#;
        assert_eq!(
            executable(line),
            Some(PathBuf::from("/w/target/debug/demo"))
        );
        let windows = r#"{"executable":"C:\\t\\demo.exe"}"#;
        assert_eq!(executable(windows), Some(PathBuf::from("C:\\t\\demo.exe")));
        assert_eq!(executable(r#"{"executable":null}"#), None);
    }

    #[test]
    fn writes_json_strings_and_drops_colours() {
        let mut out = String::new();
        json_string("a \"b\"\n\\c\u{1}", &mut out);
        assert_eq!(out, r#""a \"b\"\n\\c\u0001""#);
        assert_eq!(
            strip_ansi("\u{1b}[1m\u{1b}[31merror\u{1b}[0m: x"),
            "error: x"
        );
    }

    #[test]
    fn a_changed_source_changes_the_fingerprint_and_target_does_not() {
        let root = std::env::temp_dir().join(format!("xtask-fp-{}", std::process::id()));
        std::fs::create_dir_all(root.join("src")).expect("dir");
        std::fs::create_dir_all(root.join("target")).expect("dir");
        std::fs::write(root.join("src/lib.rs"), "// one").expect("write");
        let before = fingerprint(&root);
        std::fs::write(root.join("target/out.rs"), "// built").expect("write");
        std::fs::write(root.join("src/notes.txt"), "not a source").expect("write");
        assert_eq!(fingerprint(&root), before);
        std::fs::write(root.join("src/lib.rs"), "// one, then two").expect("write");
        assert_ne!(fingerprint(&root), before);
        let _ = std::fs::remove_dir_all(&root);
    }
}

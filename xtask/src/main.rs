//! Project tasks.
//!
//! `cargo xtask test` runs every test of the workspace. It first installs what the tests need
//! when it is missing: Debian's `chromium` for the browser tests and `redis-server` for the
//! chat's two-process test (with `apt-get`, as root or through `sudo`), and axe-core for the
//! accessibility audits (with `npm`, pinned, into `target/axe-core`). Extra arguments go to
//! `cargo test`.
//!
//! `cargo xtask dev [-p PACKAGE]` is the edit loop (see the `dev` module): it runs the package
//! (the chat by default), and rebuilds and restarts it on every change to the sources, every
//! open tab keeping its state.

mod dev;

use std::path::{Path, PathBuf};
use std::process::{Command, exit};

/// The axe-core version the accessibility audits run (`tests/src/axe.rs` names the same).
const AXE_VERSION: &str = "4.10.3";

fn run(cmd: &mut Command) -> bool {
    eprintln!("xtask: running {cmd:?}");
    match cmd.status() {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("xtask: cannot run {cmd:?}: {e}");
            false
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs Debian packages, as root or through sudo.
fn apt_install(packages: &[&str]) -> bool {
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update", "-q"]))
        && run(apt(&["install", "-y", "-q", "--no-install-recommends"]).args(packages))
}

/// Installs Debian's `package` when `path` (overridable with the environment variable `var`)
/// is missing.
fn ensure(var: &str, default: &str, package: &str, why: &str) {
    let path = std::env::var(var).unwrap_or_else(|_| default.to_string());
    if Path::new(&path).exists() {
        return;
    }
    eprintln!("xtask: {path} is missing; installing Debian's {package} for {why}");
    if !apt_install(&[package]) || !Path::new(&path).exists() {
        eprintln!(
            "xtask: could not install {package}; install it (apt-get install {package}) or set {var}"
        );
        exit(1);
    }
}

/// Installs axe-core `AXE_VERSION` from npm into `target/axe-core` of the workspace when that
/// version is not there, unless `AXE_CORE` names a script of one's own.
fn ensure_axe() {
    if std::env::var_os("AXE_CORE").is_some() {
        return;
    }
    ensure("NPM", "/usr/bin/npm", "npm", "installing axe-core");
    let npm = std::env::var("NPM").unwrap_or_else(|_| "npm".to_string());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/axe-core");
    let manifest = dir.join("node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&manifest).unwrap_or_default();
    if installed.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        return;
    }
    eprintln!("xtask: installing axe-core {AXE_VERSION} for the accessibility audits");
    let ok = std::fs::create_dir_all(&dir).is_ok()
        && run(Command::new(&npm)
            .args([
                "install",
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
            ])
            .arg("--prefix")
            .arg(&dir)
            .arg(format!("axe-core@{AXE_VERSION}")));
    if !ok || !dir.join("node_modules/axe-core/axe.min.js").exists() {
        eprintln!(
            "xtask: could not install axe-core with npm; install npm (apt-get install npm), or set \
             AXE_CORE to an axe.min.js of version {AXE_VERSION}"
        );
        exit(1);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => {
            ensure(
                "CHROMIUM",
                "/usr/bin/chromium",
                "chromium",
                "the browser tests",
            );
            ensure(
                "REDIS_SERVER",
                "/usr/bin/redis-server",
                "redis-server",
                "the chat's two-process test",
            );
            ensure(
                "OPENSSL",
                "/usr/bin/openssl",
                "openssl",
                "the certificates of the Redis TLS test",
            );
            ensure_axe();
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
            let ok = run(Command::new(cargo)
                .args(["test", "--workspace"])
                .args(&args[1..]));
            exit(if ok { 0 } else { 1 });
        }
        Some("dev") => exit(dev::run(&args[1..])),
        _ => {
            eprintln!("usage: cargo xtask test [cargo test arguments]");
            eprintln!("       cargo xtask dev [-p PACKAGE]");
            exit(2);
        }
    }
}

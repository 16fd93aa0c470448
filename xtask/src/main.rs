//! Project tasks.
//!
//! `cargo xtask test` runs every test of the workspace. It first installs what the tests need
//! when it is missing: Debian's `chromium` for the browser tests (with `apt-get`, as root or
//! through `sudo`). Extra arguments go to `cargo test`.

use std::path::Path;
use std::process::{Command, exit};

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

fn ensure_chromium() {
    let path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if Path::new(&path).exists() {
        return;
    }
    eprintln!("xtask: {path} is missing; installing Debian's chromium for the browser tests");
    if !apt_install(&["chromium"]) || !Path::new(&path).exists() {
        eprintln!(
            "xtask: could not install chromium; install it (apt-get install chromium) or set CHROMIUM"
        );
        exit(1);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => {
            ensure_chromium();
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
            let ok = run(Command::new(cargo)
                .args(["test", "--workspace"])
                .args(&args[1..]));
            exit(if ok { 0 } else { 1 });
        }
        _ => {
            eprintln!("usage: cargo xtask test [cargo test arguments]");
            exit(2);
        }
    }
}

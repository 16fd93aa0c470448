//! A real `redis-server` for tests, on a free loopback port, without persistence.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::within;

/// A port on 127.0.0.1 that nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until something listens on `port`.
async fn listening(port: u16) {
    within(20, "redis-server to listen", async {
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

/// A running `redis-server`; killed when dropped.
pub struct RedisServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    child: Child,
}

impl RedisServer {
    /// Starts one on a free port.
    pub async fn start() -> RedisServer {
        Self::start_on(free_port()).await
    }

    /// Starts one on `port` (again, after [`RedisServer::kill`]).
    pub async fn start_on(port: u16) -> RedisServer {
        Self::spawn(port, &["--port", &port.to_string()]).await
    }

    /// Starts `redis-server` with `args`, on loopback and without persistence, and waits until
    /// it listens on `port`.
    async fn spawn(port: u16, args: &[&str]) -> RedisServer {
        let bin = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "/usr/bin/redis-server".into());
        assert!(
            Path::new(&bin).exists(),
            "{bin} not found: this test needs Debian's redis-server (`cargo xtask test` installs it)"
        );
        let child = Command::new(bin)
            .args(args)
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start redis-server");
        listening(port).await;
        RedisServer { port, child }
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts one that speaks TLS only, with a certificate for 127.0.0.1 signed by a root of its
    /// own (made with `openssl`), and returns it with that root, in PEM.
    pub async fn start_tls() -> (RedisServer, Vec<u8>) {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("lv-redis-tls-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory for the certificates");
        let openssl = std::env::var("OPENSSL").unwrap_or_else(|_| "/usr/bin/openssl".into());
        let run = |args: &[&str]| {
            let ok = std::process::Command::new(&openssl)
                .args(args)
                .current_dir(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "openssl {args:?} failed (`cargo xtask test` installs openssl)"
            );
        };
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "1",
            "-subj",
            "/CN=leptos-live test root",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "s.key",
            "-out",
            "s.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        std::fs::write(dir.join("ext"), "subjectAltName=IP:127.0.0.1\n").expect("write ext");
        run(&[
            "x509",
            "-req",
            "-in",
            "s.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "s.crt",
            "-days",
            "1",
            "-extfile",
            "ext",
        ]);
        let path = |f: &str| dir.join(f).display().to_string();
        let (cert, key, ca) = (path("s.crt"), path("s.key"), path("ca.crt"));
        let server = Self::spawn(
            port,
            &[
                "--port",
                "0",
                "--tls-port",
                &port.to_string(),
                "--tls-cert-file",
                &cert,
                "--tls-key-file",
                &key,
                "--tls-ca-cert-file",
                &ca,
                "--tls-auth-clients",
                "no",
            ],
        )
        .await;
        let root = std::fs::read(dir.join("ca.crt")).expect("the root certificate");
        // redis-server read its certificate and key as it started: nothing needs them now.
        let _ = std::fs::remove_dir_all(&dir);
        (server, root)
    }

    /// `rediss://127.0.0.1:PORT`, for a server started with [`RedisServer::start_tls`].
    pub fn tls_url(&self) -> String {
        format!("rediss://127.0.0.1:{}", self.port)
    }

    /// Kills it, as a crash would.
    pub async fn kill(mut self) {
        let _ = self.child.kill().await;
    }
}

//! History and rooms in SQLite (default) or PostgreSQL, through sqlx's `Any` driver.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyPoolOptions, AnyRow, install_default_drivers};
use sqlx::{AnyPool, Row};

/// A chat message as stored and as broadcast.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Message {
    /// Increasing id.
    pub id: i64,
    /// The room's name.
    pub room: String,
    /// The author's nickname.
    pub author: String,
    /// The text, as typed (shown as text, never as HTML).
    pub body: String,
    /// Unix time in milliseconds.
    pub at: i64,
    /// The images attached to it, in the order they were picked (none for text only).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// An image attached to a message: its bytes live in the attachment store under its id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attachment {
    /// Increasing id, unique across rooms.
    pub id: i64,
    /// The MIME type its bytes showed when it was stored (`image/png`, …).
    pub content_type: String,
    /// Its size in bytes.
    pub bytes: i64,
}

/// An attachment about to be stored with a message: its content type and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewAttachment<'a> {
    /// The MIME type its bytes show.
    pub content_type: &'a str,
    /// Its size in bytes.
    pub bytes: i64,
}

/// A room.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Room {
    /// Its name, as in `/rooms/<name>`.
    pub name: String,
    /// Members only.
    pub private: bool,
    /// Who made it.
    pub owner: String,
}

/// The database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
}

/// Schema steps, applied once each, in order: (SQLite, PostgreSQL).
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "CREATE TABLE rooms (name TEXT PRIMARY KEY, private BOOLEAN NOT NULL, owner TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE TABLE rooms (name TEXT PRIMARY KEY, private BOOLEAN NOT NULL, owner TEXT NOT NULL, created_at BIGINT NOT NULL)",
    ),
    (
        "CREATE TABLE members (room TEXT NOT NULL, nick TEXT NOT NULL, PRIMARY KEY (room, nick))",
        "CREATE TABLE members (room TEXT NOT NULL, nick TEXT NOT NULL, PRIMARY KEY (room, nick))",
    ),
    (
        "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL, at BIGINT NOT NULL)",
        "CREATE TABLE messages (id BIGSERIAL PRIMARY KEY, room TEXT NOT NULL, author TEXT NOT NULL, body TEXT NOT NULL, at BIGINT NOT NULL)",
    ),
    (
        "CREATE INDEX messages_room_id ON messages (room, id)",
        "CREATE INDEX messages_room_id ON messages (room, id)",
    ),
    (
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        "INSERT INTO rooms (name, private, owner, created_at) VALUES ('lobby', FALSE, 'system', 0)",
        "INSERT INTO rooms (name, private, owner, created_at) VALUES ('lobby', FALSE, 'system', 0)",
    ),
    (
        "CREATE TABLE attachments (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, message_id BIGINT NOT NULL, content_type TEXT NOT NULL, byte_size BIGINT NOT NULL)",
        "CREATE TABLE attachments (id BIGSERIAL PRIMARY KEY, room TEXT NOT NULL, message_id BIGINT NOT NULL, content_type TEXT NOT NULL, byte_size BIGINT NOT NULL)",
    ),
    (
        "CREATE INDEX attachments_room_message ON attachments (room, message_id)",
        "CREATE INDEX attachments_room_message ON attachments (room, message_id)",
    ),
];

/// A room's columns, in the order [`room_of`] reads them. The flag is read as an integer:
/// sqlx's `Any` driver does not decode SQLite booleans.
const ROOM_COLUMNS: &str = "name, CAST(CASE WHEN private THEN 1 ELSE 0 END AS BIGINT), owner";

fn room_of(r: &AnyRow) -> Result<Room, sqlx::Error> {
    Ok(Room {
        name: r.try_get(0)?,
        private: r.try_get::<i64, _>(1)? != 0,
        owner: r.try_get(2)?,
    })
}

/// Inserts a message's row and returns its id.
async fn insert_message<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    room: &str,
    author: &str,
    body: &str,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO messages (room, author, body, at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(room)
    .bind(author)
    .bind(body)
    .bind(at)
    .fetch_one(db)
    .await?
    .try_get(0)
}

/// Removes an SQLite database file and the write-ahead log and shared memory SQLite keeps
/// beside it (`name.db-wal`, `name.db-shm`); files that are not there are skipped. For tests and
/// benches that made a database of their own.
///
/// ```
/// let path = std::env::temp_dir().join(format!("chat-doc-{}.db", std::process::id()));
/// std::fs::write(&path, b"").unwrap();
/// std::fs::write(format!("{}-wal", path.display()), b"").unwrap();
/// demo_chat::remove_database(&path);
/// assert!(!path.exists());
/// assert!(!std::path::Path::new(&format!("{}-wal", path.display())).exists());
/// ```
pub fn remove_database(path: &std::path::Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), creating a SQLite file when
    /// missing, and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_string()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 10 })
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file held open on a thread of its own: it does not go
            // stale as a network connection can, so it is not pinged (a round trip to that
            // thread) before every query.
            .test_before_acquire(!sqlite)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // Several processes may share the file: wait for locks, and let readers
                        // read while one writes.
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        // With the write-ahead log, a commit that does not wait for the disk
                        // is still safe from a crash of the server (not from the machine losing
                        // power): a post reaches the room without an fsync before it.
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let db = Db { pool };
        db.migrate(sqlite).await?;
        Ok(db)
    }

    async fn migrate(&self, sqlite: bool) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
            .execute(&mut *tx)
            .await?;
        let version: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        for (i, (lite, pg)) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            sqlx::query(if sqlite { lite } else { pg })
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO schema_version (version) VALUES ($1)")
                .bind(i as i64 + 1)
                .execute(&mut *tx)
                .await?;
            tracing::info!(step = i + 1, "database migrated");
        }
        tx.commit().await
    }

    /// A setting, created with `make()` the first time it is asked for.
    pub async fn setting(
        &self,
        key: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, sqlx::Error> {
        if let Some(row) = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
        {
            return row.try_get(0);
        }
        // Two processes starting together agree on whichever value landed first.
        let _ = sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(make())
            .execute(&self.pool)
            .await;
        sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)
    }

    /// Stores a message and returns it with its id.
    pub async fn post(&self, room: &str, author: &str, body: &str) -> Result<Message, sqlx::Error> {
        let at = now_ms();
        let id = insert_message(&self.pool, room, author, body, at).await?;
        Ok(Message {
            id,
            room: room.to_string(),
            author: author.to_string(),
            body: body.to_string(),
            at,
            attachments: Vec::new(),
        })
    }

    /// Stores a message with attachments in one transaction and returns it with its ids.
    /// `place` runs before the commit, with the message as it will be stored (the attachments'
    /// ids included): it puts the files where they belong, and when it fails nothing is stored.
    pub async fn post_with<E: From<sqlx::Error>>(
        &self,
        room: &str,
        author: &str,
        body: &str,
        files: &[NewAttachment<'_>],
        place: impl FnOnce(&Message) -> Result<(), E>,
    ) -> Result<Message, E> {
        let at = now_ms();
        let mut tx = self.pool.begin().await?;
        let id = insert_message(&mut *tx, room, author, body, at).await?;
        let mut attachments = Vec::with_capacity(files.len());
        for file in files {
            let attachment_id: i64 = sqlx::query(
                "INSERT INTO attachments (room, message_id, content_type, byte_size) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(room)
            .bind(id)
            .bind(file.content_type)
            .bind(file.bytes)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            attachments.push(Attachment {
                id: attachment_id,
                content_type: file.content_type.to_string(),
                bytes: file.bytes,
            });
        }
        let message = Message {
            id,
            room: room.to_string(),
            author: author.to_string(),
            body: body.to_string(),
            at,
            attachments,
        };
        place(&message)?;
        tx.commit().await?;
        Ok(message)
    }

    /// Attachment `id` when it belongs to a message of `room`.
    pub async fn attachment(&self, room: &str, id: i64) -> Result<Option<Attachment>, sqlx::Error> {
        sqlx::query(
            "SELECT id, content_type, byte_size FROM attachments WHERE id = $1 AND room = $2",
        )
        .bind(id)
        .bind(room)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| {
            Ok(Attachment {
                id: r.try_get(0)?,
                content_type: r.try_get(1)?,
                bytes: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// Fills in the attachments of `messages` (of `room`, oldest first) with one query.
    async fn load_attachments(
        &self,
        room: &str,
        messages: &mut [Message],
    ) -> Result<(), sqlx::Error> {
        let (Some(first), Some(last)) = (messages.first(), messages.last()) else {
            return Ok(());
        };
        let rows = sqlx::query(
            "SELECT message_id, id, content_type, byte_size FROM attachments WHERE room = $1 AND message_id >= $2 AND message_id <= $3 ORDER BY id",
        )
        .bind(room)
        .bind(first.id)
        .bind(last.id)
        .fetch_all(&self.pool)
        .await?;
        let mut by_message: HashMap<i64, Vec<Attachment>> = HashMap::new();
        for r in &rows {
            by_message
                .entry(r.try_get(0)?)
                .or_default()
                .push(Attachment {
                    id: r.try_get(1)?,
                    content_type: r.try_get(2)?,
                    bytes: r.try_get(3)?,
                });
        }
        for m in messages {
            if let Some(found) = by_message.remove(&m.id) {
                m.attachments = found;
            }
        }
        Ok(())
    }

    /// Up to `limit` messages of `room` older than `before` (all when `None`), oldest first.
    pub async fn history(
        &self,
        room: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Message>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, room, author, body, at FROM messages WHERE room = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(room)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(Message {
                    id: r.try_get(0)?,
                    room: r.try_get(1)?,
                    author: r.try_get(2)?,
                    body: r.try_get(3)?,
                    at: r.try_get(4)?,
                    attachments: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.reverse();
        self.load_attachments(room, &mut out).await?;
        Ok(out)
    }

    /// The room called `name`.
    pub async fn room(&self, name: &str) -> Result<Option<Room>, sqlx::Error> {
        sqlx::query(&format!("SELECT {ROOM_COLUMNS} FROM rooms WHERE name = $1"))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(room_of)
            .transpose()
    }

    /// The rooms `nick` may see: public ones and private ones they belong to, by name.
    pub async fn rooms_for(&self, nick: &str) -> Result<Vec<Room>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {ROOM_COLUMNS} FROM rooms WHERE private = FALSE OR name IN (SELECT room FROM members WHERE nick = $1) ORDER BY name"
        ))
        .bind(nick)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(room_of)
        .collect()
    }

    /// Makes a room; false when the name is taken. Its owner is its first member.
    pub async fn create_room(
        &self,
        name: &str,
        private: bool,
        owner: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let made = sqlx::query(
            "INSERT INTO rooms (name, private, owner, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(private)
        .bind(owner)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if made {
            sqlx::query("INSERT INTO members (room, nick) VALUES ($1, $2)")
                .bind(name)
                .bind(owner)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(made)
    }

    /// Whether `nick` may read and post in `room`: it exists, and is public or has them as a
    /// member.
    pub async fn may_enter(&self, room: &str, nick: &str) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT 1 FROM rooms WHERE name = $1 AND (private = FALSE OR EXISTS (SELECT 1 FROM members WHERE room = $1 AND nick = $2))",
        )
        .bind(room)
        .bind(nick)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Removes a member from a room.
    pub async fn remove_member(&self, room: &str, nick: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM members WHERE room = $1 AND nick = $2")
            .bind(room)
            .bind(nick)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The members of a room, by name.
    pub async fn members(&self, room: &str) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query("SELECT nick FROM members WHERE room = $1 ORDER BY nick")
            .bind(room)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect()
    }

    /// Adds a member to a room.
    pub async fn add_member(&self, room: &str, nick: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO members (room, nick) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(room)
            .bind(nick)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database file of its own: tests run in parallel, often within the same millisecond.
    async fn temp_db() -> (Db, std::path::PathBuf) {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "chat-test-{}-{}-{n}.db",
            std::process::id(),
            now_ms()
        ));
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        (db, path)
    }

    #[tokio::test]
    async fn stores_history_and_checks_membership_across_a_reopen() {
        let (db, path) = temp_db().await;
        for i in 0..5 {
            db.post("lobby", "ada", &format!("m{i}")).await.unwrap();
        }
        let last2 = db.history("lobby", None, 2).await.unwrap();
        assert_eq!(
            last2.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
            ["m3", "m4"]
        );
        let older = db.history("lobby", Some(last2[0].id), 10).await.unwrap();
        assert_eq!(older.len(), 3);
        assert!(db.create_room("secret", true, "ada").await.unwrap());
        assert!(!db.create_room("secret", false, "bob").await.unwrap());
        assert!(db.may_enter("secret", "ada").await.unwrap());
        assert!(!db.may_enter("secret", "bob").await.unwrap());
        assert!(!db.may_enter("nowhere", "ada").await.unwrap());
        db.add_member("secret", "bob").await.unwrap();
        assert!(db.may_enter("secret", "bob").await.unwrap());
        assert_eq!(db.rooms_for("eve").await.unwrap().len(), 1);
        let key = db.setting("k", || "v1".into()).await.unwrap();
        drop(db);
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        assert_eq!(
            db.history("lobby", None, 50).await.unwrap().len(),
            5,
            "a restart loses nothing"
        );
        assert_eq!(db.setting("k", || "v2".into()).await.unwrap(), key);
        remove_database(&path);
    }

    #[tokio::test]
    async fn attachments_load_with_history_and_belong_to_their_room() {
        let (db, path) = temp_db().await;
        db.post("lobby", "ada", "text only").await.unwrap();
        let files = [
            NewAttachment {
                content_type: "image/png",
                bytes: 70,
            },
            NewAttachment {
                content_type: "image/gif",
                bytes: 40,
            },
        ];
        let posted = db
            .post_with("lobby", "ada", "", &files, |_| Ok::<_, sqlx::Error>(()))
            .await
            .unwrap();
        assert_eq!(posted.attachments.len(), 2);
        // A placement that fails stores nothing.
        let failed = db
            .post_with("lobby", "ada", "lost", &files[..1], |_| {
                Err(sqlx::Error::Protocol("no disk".into()))
            })
            .await;
        assert!(failed.is_err());
        let first = posted.attachments[0].id;
        assert_eq!(
            db.attachment("lobby", first).await.unwrap(),
            Some(posted.attachments[0].clone())
        );
        assert_eq!(
            db.attachment("den", first).await.unwrap(),
            None,
            "another room's"
        );
        drop(db);
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let history = db.history("lobby", None, 50).await.unwrap();
        assert_eq!(history.len(), 2, "{history:?}");
        assert!(history[0].attachments.is_empty());
        assert_eq!(
            history[1], posted,
            "the images come back with their message"
        );
        remove_database(&path);
    }
}

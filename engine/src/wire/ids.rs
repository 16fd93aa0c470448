//! Ids and clocks: random bytes, hex ids and the Unix time in seconds, for page ids, nonces,
//! secrets and timestamps.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (0 on a clock before it).
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Random bytes from the OS (time-seeded, with an error in the log, when it has none).
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    if let Err(e) = getrandom::fill(&mut buf) {
        // No OS randomness is a broken machine; fall back to time-seeded bytes and say so.
        tracing::error!("no OS randomness ({e}); page ids and secrets are weak");
        let seed = now_secs() ^ (std::process::id() as u64) << 32;
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (seed.rotate_left(i as u32 * 7) & 0xff) as u8;
        }
    }
    buf
}

/// `n` random bytes in lower-case hex.
pub(crate) fn hex(n: usize) -> String {
    random_bytes(n).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new page id: 128 random bits in hex.
pub(crate) fn hex_id() -> String {
    hex(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_are_long_and_differ() {
        let (a, b) = (hex_id(), hex_id());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(hex(6).len(), 12);
    }
}

//! The keyed hash of subtrees.
//!
//! Page content may come from users, and two different subtrees with one hash would make the
//! diff skip a real change; so the hash is keyed with keys random per process, drawn from the
//! operating system's entropy (through std's `RandomState`), which no client ever sees: no hash
//! leaves the server, and equal hashes show only as a patch that did not come. Without the
//! keys nobody can compute a hash offline, so no birthday search is possible: a collision
//! takes guessing 128 bits of key, or about 2^64 online tries, each a render of the
//! attacker's own content.
//!
//! The hash is foldhash's quality variant: a folded 64×64→128-bit multiply per word or two,
//! every multiply taking a key or a state derived from one, so that no input cancels it
//! without knowing the keys. Unlike SipHash it makes no claim against an attacker who sees
//! hashes, and ours never sees one; it costs a multiply where SipHash-1-3 costs rounds.

use std::hash::{BuildHasher, Hasher as _, RandomState};
use std::sync::OnceLock;

use foldhash::SharedSeed;
use foldhash::quality::{FoldHasher, SeedableRandomState};

/// A fresh hasher with the process's keys.
pub(super) fn hasher() -> FoldHasher<'static> {
    static KEYS: OnceLock<(SharedSeed, u64)> = OnceLock::new();
    let (shared, per_hasher) = KEYS.get_or_init(|| (SharedSeed::from_u64(random()), random()));
    SeedableRandomState::with_seed(*per_hasher, shared).build_hasher()
}

/// 64 random bits: std's `RandomState` holds 128 bits of the system's entropy, and hashing
/// nothing with it gives 64 of them.
fn random() -> u64 {
    RandomState::new().build_hasher().finish()
}

#[cfg(test)]
mod tests {
    use std::hash::Hasher as _;

    #[test]
    fn one_process_one_key() {
        let hash = |b: &[u8]| {
            let mut h = super::hasher();
            h.write(b);
            h.finish()
        };
        assert_eq!(hash(b"<p>a</p>"), hash(b"<p>a</p>"));
        assert_ne!(hash(b"<p>a</p>"), hash(b"<p>b</p>"));
    }
}

//! Signed tokens: any serde value, HMAC-SHA256-signed, as `base64url(json).base64url(mac)`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token's signature does not match")]
    BadSignature,
    #[error("the token expired")]
    Expired,
}

fn mac(secret: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; this cannot fail.
    HmacSha256::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// `base64url(claims JSON) . base64url(HMAC-SHA256(secret, first part))`.
pub(crate) fn sign<T: Serialize>(claims: &T, secret: &[u8]) -> String {
    let body = B64.encode(serde_json::to_vec(claims).unwrap_or_default());
    let mut m = mac(secret);
    m.update(body.as_bytes());
    let sig = B64.encode(m.finalize().into_bytes());
    format!("{body}.{sig}")
}

/// The claims of a token signed with [`sign`], when its signature holds.
pub(crate) fn open<T: DeserializeOwned>(token: &str, secret: &[u8]) -> Result<T, TokenError> {
    let (body, sig) = token.split_once('.').ok_or(TokenError::Malformed)?;
    let sig = B64.decode(sig).map_err(|_| TokenError::Malformed)?;
    let mut m = mac(secret);
    m.update(body.as_bytes());
    m.verify_slice(&sig).map_err(|_| TokenError::BadSignature)?;
    let json = B64.decode(body).map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
}

/// Whether something issued at `issued` is younger than `max_age_secs` at `now` (and not from
/// the future, beyond five minutes of clock skew).
pub(crate) fn fresh(issued: u64, max_age_secs: u64, now: u64) -> bool {
    now.saturating_sub(issued) <= max_age_secs && issued <= now + 300
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_values_open_and_forgeries_do_not() {
        let t = sign(&("room", 7), b"k");
        assert_eq!(open::<(String, u32)>(&t, b"k"), Ok(("room".to_string(), 7)));
        assert_eq!(
            open::<(String, u32)>(&t, b"other"),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            open::<(String, u32)>("nodot", b"k"),
            Err(TokenError::Malformed)
        );
        assert!(fresh(1000, 60, 1010) && !fresh(1000, 60, 2000) && !fresh(2000, 60, 1000));
    }
}

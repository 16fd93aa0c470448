//! Page tokens: HMAC-SHA256-signed claims that bind a socket join to a page, its params and its
//! session.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::params::{Params, Session};

type HmacSha256 = Hmac<Sha256>;

/// What a token vouches for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The route pattern of the page (`/rooms/{name}`).
    #[serde(rename = "p")]
    pub page: String,
    /// The page instance, the key of its state on the server.
    #[serde(rename = "i")]
    pub id: String,
    /// URL parameters the page was mounted with.
    #[serde(rename = "a")]
    pub params: Params,
    /// Session data at the HTTP render.
    #[serde(rename = "s")]
    pub session: Session,
    /// Issued at, seconds since the Unix epoch.
    #[serde(rename = "t")]
    pub issued: u64,
    /// The path and query the page was mounted for (for `handle_params` when it mounts again).
    #[serde(rename = "u", default)]
    pub uri: String,
}

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

pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
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

pub(crate) fn verify(
    token: &str,
    secret: &[u8],
    max_age_secs: u64,
    now: u64,
) -> Result<Claims, TokenError> {
    let claims: Claims = open(token, secret)?;
    if !fresh(claims.issued, max_age_secs, now) {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            page: "/".into(),
            id: "abc".into(),
            params: Params::from_pairs([("room", "lobby")]),
            session: Session::default(),
            issued: 1000,
            uri: "/".into(),
        }
    }

    #[test]
    fn signed_tokens_verify_and_forgeries_do_not() {
        let t = sign(&claims(), b"k");
        assert_eq!(verify(&t, b"k", 60, 1010), Ok(claims()));
        assert_eq!(
            verify(&t, b"other", 60, 1010),
            Err(TokenError::BadSignature)
        );
        assert_eq!(verify(&t, b"k", 60, 2000), Err(TokenError::Expired));
        assert_eq!(verify("nodot", b"k", 60, 1010), Err(TokenError::Malformed));
        // Tampering with the claims (another room) breaks the signature.
        let mut other = claims();
        other.params = Params::from_pairs([("room", "secret")]);
        let forged_body = sign(&other, b"k");
        let (body, _) = forged_body.split_once('.').unwrap_or_default();
        let (_, sig) = t.split_once('.').unwrap_or_default();
        assert_eq!(
            verify(&format!("{body}.{sig}"), b"k", 60, 1010),
            Err(TokenError::BadSignature)
        );
    }
}

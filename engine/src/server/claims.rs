//! Page tokens: the signed claims that bind a socket join to a page, its params and its session.

use serde::{Deserialize, Serialize};

use crate::params::{Params, Session};
use crate::wire::token::{TokenError, fresh, open};

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

/// The claims of a page token signed with the secret, when its signature holds and it is not
/// older than `max_age_secs` at `now`.
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
    use crate::wire::token::sign;

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

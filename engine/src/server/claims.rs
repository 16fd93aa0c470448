//! Page tokens: the signed claims that bind a socket join to a page, its params and its session.

use serde::{Deserialize, Serialize};

use crate::params::{Params, Session};
use crate::wire::token::{TokenError, fresh, open, sign};

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

/// A token for `claims` issued at `now`, when theirs is a quarter of `max_age_secs` old or more
/// (their issue time moves to `now`); `None` while it is younger. A page whose socket lives
/// renews its token so, and can rejoin however long it has been open.
pub(crate) fn renewed(
    claims: &mut Claims,
    secret: &[u8],
    max_age_secs: u64,
    now: u64,
) -> Option<String> {
    let age = now.saturating_sub(claims.issued);
    if age == 0 || age.saturating_mul(4) < max_age_secs {
        return None;
    }
    claims.issued = now;
    Some(sign(claims, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_past_a_quarter_of_their_life() {
        let mut c = claims();
        assert_eq!(renewed(&mut c, b"k", 400, 1099), None, "younger than 100 s");
        let t = renewed(&mut c, b"k", 400, 1100).expect("renewed at 100 s");
        assert_eq!(c.issued, 1100);
        // The old token has expired by now; the new one holds.
        assert_eq!(
            verify(&sign(&claims(), b"k"), b"k", 400, 1450),
            Err(TokenError::Expired)
        );
        assert_eq!(verify(&t, b"k", 400, 1450).map(|c| c.issued), Ok(1100));
        assert_eq!(renewed(&mut c, b"k", 400, 1100), None);
    }

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

//! The nickname: chosen once, kept in a signed cookie.

use axum::Form;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use leptos_live::Session;
use sha2::Sha256;

/// The cookie's name.
pub const COOKIE_NAME: &str = "chat_nick";

/// Signs and reads the nickname cookie.
#[derive(Clone)]
pub struct Cookies {
    key: std::sync::Arc<[u8]>,
}

impl Cookies {
    /// Cookies signed with `key`.
    pub fn new(key: &[u8]) -> Cookies {
        Cookies { key: key.into() }
    }

    fn mac(&self, value: &str) -> Vec<u8> {
        // HMAC takes keys of any length.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The cookie value for `nick`.
    pub fn sign(&self, nick: &str) -> String {
        format!("{}.{}", B64.encode(nick), B64.encode(self.mac(nick)))
    }

    /// The nickname in a cookie value, if its signature holds.
    pub fn verify(&self, value: &str) -> Option<String> {
        let (nick, sig) = value.split_once('.')?;
        let nick = String::from_utf8(B64.decode(nick).ok()?).ok()?;
        let sig = B64.decode(sig).ok()?;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).ok()?;
        mac.update(nick.as_bytes());
        mac.verify_slice(&sig).ok()?;
        valid_nick(&nick).ok()?;
        Some(nick)
    }

    /// The page session for a request: `nick` when the cookie holds one.
    pub fn session(&self, headers: &HeaderMap) -> Session {
        let mut session = Session::default();
        let nick = leptos_live::params::cookie(headers, COOKIE_NAME).and_then(|v| self.verify(v));
        if let Some(nick) = nick {
            session.insert("nick", nick);
        }
        session
    }
}

/// Checks a nickname: 1 to 24 letters, digits, `-` or `_`.
pub fn valid_nick(nick: &str) -> Result<(), &'static str> {
    if nick.is_empty() {
        return Err("Choose a nickname.");
    }
    if nick.chars().count() > 24 {
        return Err("Nicknames are at most 24 characters.");
    }
    if !nick
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err("Use letters, digits, - and _ only.");
    }
    Ok(())
}

/// The cookie that holds the nickname form's anti-forgery token.
pub const CSRF_COOKIE: &str = "chat_csrf";

/// The nickname form's fields.
#[derive(serde::Deserialize)]
pub struct NickForm {
    nick: String,
    #[serde(default)]
    return_to: String,
    /// The token the form page put in its cookie and in the form.
    #[serde(default)]
    csrf: String,
}

/// Whether the form carries the token its cookie holds (compared in constant time).
fn same_token(cookie: Option<&str>, form: &str) -> bool {
    let Some(cookie) = cookie else {
        return false;
    };
    !form.is_empty()
        && cookie.len() == form.len()
        && cookie
            .bytes()
            .zip(form.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// `POST /nick`: sets the cookie and goes back where the form was.
pub async fn set_nick(
    cookies: Cookies,
    headers: HeaderMap,
    Form(form): Form<NickForm>,
) -> Response {
    if !same_token(
        leptos_live::params::cookie(&headers, CSRF_COOKIE),
        &form.csrf,
    ) {
        return (
            StatusCode::FORBIDDEN,
            "This form has expired or was not sent from this site; load it again.",
        )
            .into_response();
    }
    let nick = form.nick.trim();
    if let Err(e) = valid_nick(nick) {
        return (StatusCode::BAD_REQUEST, e).into_response();
    }
    // Only a path on this site (browsers read `/\` as `//`, another host).
    let local = form.return_to.starts_with('/')
        && !form.return_to.starts_with("//")
        && !form.return_to.contains('\\')
        && !form.return_to.chars().any(char::is_control);
    let to = if local {
        form.return_to
    } else {
        "/".to_string()
    };
    let cookie = format!(
        "{COOKIE_NAME}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000",
        cookies.sign(nick)
    );
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let (Ok(c), Ok(l)) = (HeaderValue::from_str(&cookie), HeaderValue::from_str(&to)) {
        res.headers_mut().insert(SET_COOKIE, c);
        res.headers_mut().insert(LOCATION, l);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_form_goes_back_only_to_a_path_on_this_site() {
        let c = Cookies::new(b"k");
        for (back, to) in [
            ("/rooms/a", "/rooms/a"),
            ("//evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example", "/"),
        ] {
            let form = NickForm {
                nick: "ada".into(),
                return_to: back.into(),
                csrf: "t0k".into(),
            };
            let mut h = HeaderMap::new();
            h.insert(
                axum::http::header::COOKIE,
                HeaderValue::from_static("chat_csrf=t0k"),
            );
            let res = set_nick(c.clone(), h, Form(form)).await;
            assert_eq!(res.headers()[LOCATION], to, "{back}");
        }
    }

    #[tokio::test]
    async fn a_form_without_its_token_is_refused() {
        let c = Cookies::new(b"k");
        for (cookie, token) in [
            (None, "t0k"),
            (Some("chat_csrf=other"), "t0k"),
            (Some("chat_csrf="), ""),
        ] {
            let mut h = HeaderMap::new();
            if let Some(v) = cookie {
                h.insert(axum::http::header::COOKIE, HeaderValue::from_static(v));
            }
            let form = NickForm {
                nick: "ada".into(),
                return_to: "/".into(),
                csrf: token.into(),
            };
            let res = set_nick(c.clone(), h, Form(form)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{cookie:?}");
        }
    }

    #[test]
    fn signed_nicknames_verify_and_forgeries_do_not() {
        let c = Cookies::new(b"k");
        let v = c.sign("ada");
        assert_eq!(c.verify(&v).as_deref(), Some("ada"));
        assert_eq!(Cookies::new(b"other").verify(&v), None);
        let forged = format!("{}.{}", B64.encode("eve"), v.split_once('.').unwrap().1);
        assert_eq!(c.verify(&forged), None);
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE_NAME}={v}")).unwrap(),
        );
        assert_eq!(
            c.session(&h).get("nick").and_then(|v| v.as_str()),
            Some("ada")
        );
        assert!(valid_nick("<b>").is_err());
        assert!(valid_nick("").is_err());
    }
}

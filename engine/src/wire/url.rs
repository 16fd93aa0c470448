//! Live URLs: what a page may navigate or patch to, and how a path matches a route pattern.
//!
//! Patterns use axum's syntax: literal segments, `{name}` for one segment and `{*name}` for the
//! rest of the path. Matching here serves the socket, which routes navigations without going
//! through axum; the HTTP side uses axum's own router with the same patterns.

use axum::http::Uri;

/// Why a URL was refused for a live navigation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum UrlError {
    /// Not a path on this site: another origin, a scheme, `//host`, or a backslash.
    #[error("{0:?} is not a path on this site")]
    NotLocal(String),
    /// The text does not parse as a URL path and query.
    #[error("{0:?} is not a valid URL")]
    Invalid(String),
}

/// Parses `url` as a path and query on this site (`/rooms/a?tab=members`); anything that could
/// leave the origin is refused.
pub(crate) fn local_uri(url: &str) -> Result<Uri, UrlError> {
    let url = url.split('#').next().unwrap_or_default();
    let local = url.starts_with('/')
        && !url.starts_with("//")
        && !url.contains('\\')
        && !url.chars().any(char::is_control);
    if !local {
        return Err(UrlError::NotLocal(url.to_string()));
    }
    let uri: Uri = url
        .parse()
        .map_err(|_| UrlError::Invalid(url.to_string()))?;
    if uri.scheme().is_some() || uri.authority().is_some() {
        return Err(UrlError::NotLocal(url.to_string()));
    }
    Ok(uri)
}

/// The path parameters of `path` under `pattern`, percent-decoded; `None` when it does not match.
pub(crate) fn match_pattern(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut params = Vec::new();
    let mut pat = pattern.split('/');
    let mut segs = path.split('/');
    loop {
        match (pat.next(), segs.next()) {
            (None, None) => return Some(params),
            (Some(p), Some(s)) => {
                if let Some(name) = p.strip_prefix("{*").and_then(|p| p.strip_suffix('}')) {
                    let rest: Vec<&str> = std::iter::once(s).chain(segs.by_ref()).collect();
                    let rest = rest.join("/");
                    if rest.is_empty() {
                        return None;
                    }
                    params.push((name.to_string(), decode(&rest)?));
                    return Some(params);
                }
                if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    if s.is_empty() {
                        return None;
                    }
                    params.push((name.to_string(), decode(s)?));
                } else if p != s {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

fn decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The path and query of `uri`, as a page's claims and the browser's history keep it.
pub(crate) fn path_and_query(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string())
}

/// The params a page at `pattern` gets for `uri`, when the path matches: query pairs, then path
/// parameters (so that, kept in order, a path parameter wins over a query pair of the same name),
/// as the HTTP render builds them.
pub(crate) fn params_for(pattern: &str, uri: &Uri) -> Option<Vec<(String, String)>> {
    let path = match_pattern(pattern, uri.path())?;
    let mut params: Vec<(String, String)> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    params.extend(path);
    Some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_come_from_path_and_query() {
        let uri = local_uri("/rooms/lobby?tab=members&name=x&q=a+b").unwrap();
        let p = params_for("/rooms/{name}", &uri).unwrap();
        let get = |k: &str| {
            p.iter()
                .rev()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("name"), Some("lobby"));
        assert_eq!(get("tab"), Some("members"));
        assert_eq!(get("q"), Some("a b"));
        assert!(params_for("/other", &uri).is_none());
    }

    #[test]
    fn only_local_paths_pass() {
        for bad in [
            "http://evil.example/",
            "//evil.example/x",
            "evil",
            "",
            "/\\evil",
            "javascript:alert(1)",
            "/a\nb",
        ] {
            assert!(local_uri(bad).is_err(), "{bad:?}");
        }
        assert!(local_uri("/").is_ok());
        assert_eq!(local_uri("/a/b?c=d#e").unwrap().query(), Some("c=d"));
    }

    #[test]
    fn patterns_match_whole_paths() {
        assert!(match_pattern("/a/{b}", "/a/").is_none());
        assert!(match_pattern("/a", "/a/").is_none());
        assert!(match_pattern("/a/{b}", "/a/x/y").is_none());
        assert!(match_pattern("/a/{b}/c", "/a/x/c").is_some());
        assert!(match_pattern("/a/{b}", "/a/%FF").is_none());
    }
}

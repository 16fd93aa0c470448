//! The `accept` rule of file inputs: extensions, MIME types and wildcards.

/// Whether a file named `name` with the declared type `mime` matches one of `accept` (an empty
/// list accepts anything). Extensions match the name's end, case aside; `type/*` matches the
/// declared type's family.
pub(crate) fn accepts(accept: &[String], name: &str, mime: &str) -> bool {
    if accept.is_empty() {
        return true;
    }
    let name = name.to_ascii_lowercase();
    let mime = mime.trim().to_ascii_lowercase();
    accept.iter().any(|a| {
        if a.starts_with('.') {
            name.ends_with(a.as_str()) && name.len() > a.len()
        } else if let Some(family) = a.strip_suffix("/*") {
            mime.split_once('/').is_some_and(|(f, _)| f == family)
        } else {
            !mime.is_empty() && mime == *a
        }
    })
}

#[cfg(test)]
mod tests {
    use super::accepts;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn extensions_types_and_wildcards() {
        let a = list(&[".png", "image/jpeg", "text/*"]);
        assert!(accepts(&a, "x.PNG", ""));
        assert!(!accepts(&a, ".png", ""), "a bare extension is not a name");
        assert!(accepts(&a, "photo", "image/jpeg"));
        assert!(accepts(&a, "a.md", "text/markdown"));
        assert!(!accepts(&a, "a.gif", "image/gif"));
        assert!(!accepts(&a, "a.exe", ""));
        assert!(accepts(&[], "anything", ""));
    }
}

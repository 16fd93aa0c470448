//! [`Str`]: the immutable string the node tree keeps for names, attribute values and text.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

use smol_str::SmolStr;

/// An immutable string of the node tree.
///
/// Short strings (up to 23 bytes: tag and attribute names, short class lists, most cell texts)
/// are stored inline without an allocation; longer ones are reference-counted, so cloning a tree
/// does not copy them. It reads as a `&str` through `Deref`.
///
/// ```
/// use leptos_live::html::Str;
/// let s = Str::from("px-2 py-1");
/// assert_eq!(s, "px-2 py-1");
/// assert_eq!(s.len(), 9);
/// assert!(s.starts_with("px"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Str(SmolStr);

impl Str {
    /// A string from a `&'static str`, without an allocation whatever its length.
    ///
    /// ```
    /// use leptos_live::html::Str;
    /// const DIV: Str = Str::from_static("div");
    /// assert_eq!(DIV, "div");
    /// ```
    pub const fn from_static(s: &'static str) -> Str {
        Str(SmolStr::new_static(s))
    }

    /// The string as a `&str`.
    ///
    /// ```
    /// use leptos_live::html::Str;
    /// assert_eq!(Str::from("a").as_str(), "a");
    /// ```
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Str {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str(SmolStr::new(s))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(SmolStr::from(s))
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        Str(SmolStr::from(s))
    }
}

impl From<Cow<'_, str>> for Str {
    fn from(s: Cow<'_, str>) -> Str {
        Str(SmolStr::from(s))
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.as_str().to_owned()
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_strings_read_back_the_same() {
        let long = "x".repeat(100);
        for s in ["", "a", "exactly twenty-three b.", long.as_str()] {
            let a = Str::from(s);
            assert_eq!(a.as_str(), s);
            assert_eq!(a.clone(), a);
            assert_eq!(Str::from(s.to_string()), a);
            assert_eq!(Str::from(Cow::Borrowed(s)), a);
        }
    }

    #[test]
    fn hashes_like_the_str() {
        use std::hash::{BuildHasher, RandomState};
        let keys = RandomState::new();
        assert_eq!(keys.hash_one(Str::from("abc")), keys.hash_one("abc"));
    }
}

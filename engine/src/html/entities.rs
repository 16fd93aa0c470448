//! Character references (`&amp;`, `&#38;`, `&#x26;`) decoded as the HTML5 tokenizer does.
//!
//! Numeric references follow the spec exactly (including the windows-1252 remapping of
//! `&#128;`–`&#159;`). Named references cover the legacy set that browsers accept without a
//! semicolon and the names in common use; an unknown name is kept as literal text.

use std::borrow::Cow;

/// Where the text stands: attribute values treat a legacy reference followed by `=` or an
/// alphanumeric as literal text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Data,
    Attribute,
}

/// Names that browsers decode even without the closing semicolon.
const LEGACY: &[(&str, char)] = &[
    ("AMP", '&'),
    ("COPY", '©'),
    ("GT", '>'),
    ("LT", '<'),
    ("QUOT", '"'),
    ("REG", '®'),
    ("amp", '&'),
    ("copy", '©'),
    ("deg", '°'),
    ("gt", '>'),
    ("iexcl", '¡'),
    ("laquo", '«'),
    ("lt", '<'),
    ("micro", 'µ'),
    ("middot", '·'),
    ("nbsp", '\u{a0}'),
    ("not", '¬'),
    ("para", '¶'),
    ("plusmn", '±'),
    ("pound", '£'),
    ("quot", '"'),
    ("raquo", '»'),
    ("reg", '®'),
    ("sect", '§'),
    ("shy", '\u{ad}'),
    ("times", '×'),
    ("divide", '÷'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("curren", '¤'),
    ("brvbar", '¦'),
    ("uml", '¨'),
    ("ordf", 'ª'),
    ("ordm", 'º'),
    ("macr", '¯'),
    ("sup1", '¹'),
    ("sup2", '²'),
    ("sup3", '³'),
    ("acute", '´'),
    ("cedil", '¸'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("iquest", '¿'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("ccedil", 'ç'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("auml", 'ä'),
    ("szlig", 'ß'),
];

/// Names that need their semicolon.
const NAMED: &[(&str, &str)] = &[
    ("apos", "'"),
    ("hellip", "…"),
    ("mdash", "—"),
    ("ndash", "–"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("sbquo", "‚"),
    ("bdquo", "„"),
    ("bull", "•"),
    ("trade", "™"),
    ("euro", "€"),
    ("larr", "←"),
    ("rarr", "→"),
    ("uarr", "↑"),
    ("darr", "↓"),
    ("harr", "↔"),
    ("lArr", "⇐"),
    ("rArr", "⇒"),
    ("hearts", "♥"),
    ("check", "✓"),
    ("cross", "✗"),
    ("star", "☆"),
    ("starf", "★"),
    ("minus", "−"),
    ("le", "≤"),
    ("ge", "≥"),
    ("ne", "≠"),
    ("infin", "∞"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("thinsp", "\u{2009}"),
    ("zwnj", "\u{200c}"),
    ("zwj", "\u{200d}"),
    ("lrm", "\u{200e}"),
    ("rlm", "\u{200f}"),
    ("dagger", "†"),
    ("Dagger", "‡"),
    ("permil", "‰"),
    ("prime", "′"),
    ("Prime", "″"),
    ("lsaquo", "‹"),
    ("rsaquo", "›"),
    ("oline", "‾"),
    ("frasl", "⁄"),
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("pi", "π"),
    ("sigma", "σ"),
    ("omega", "ω"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("Tab", "\t"),
    ("NewLine", "\n"),
    ("nbsp", "\u{a0}"),
];

/// The windows-1252 characters that `&#128;`–`&#159;` stand for.
const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// Decodes references and normalises newlines; borrows when there is nothing to change.
#[cfg(test)]
pub(crate) fn decode_text(s: &str, ctx: Context) -> Cow<'_, str> {
    decode_text_checked(s, ctx, &mut false)
}

/// As [`decode_text`], setting `unsure` when a named reference is outside this module's tables.
pub(crate) fn decode_text_checked<'s>(s: &'s str, ctx: Context, unsure: &mut bool) -> Cow<'s, str> {
    if !s.bytes().any(|b| b == b'&' || b == b'\r') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < b.len() {
        match b[i] {
            b'&' => {
                out.push_str(&s[run..i]);
                let (used, text) = reference(&s[i + 1..], ctx, unsure);
                match text {
                    Some(t) => {
                        out.push_str(&t);
                        i += 1 + used;
                    }
                    None => {
                        out.push('&');
                        i += 1;
                    }
                }
                run = i;
            }
            b'\r' => {
                out.push_str(&s[run..i]);
                out.push('\n');
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                run = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&s[run..]);
    Cow::Owned(out)
}

/// Reads a reference after `&`: how many bytes it used and what it stands for. Sets `unsure`
/// when the full table of named references might read it otherwise.
fn reference(rest: &str, ctx: Context, unsure: &mut bool) -> (usize, Option<String>) {
    let b = rest.as_bytes();
    if b.first() == Some(&b'#') {
        return numeric(rest);
    }
    let len = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    if len == 0 {
        return (0, None);
    }
    let (found, exact) = reference_in_tables(rest, len, ctx);
    *unsure |= !exact;
    found
}

/// The reading from this module's tables, and whether it is the whole name (so the full table
/// could not read it otherwise).
fn reference_in_tables(rest: &str, len: usize, ctx: Context) -> ((usize, Option<String>), bool) {
    let b = rest.as_bytes();
    let name = &rest[..len];
    let semi = b.get(len) == Some(&b';');
    if semi {
        if let Some((_, t)) = NAMED.iter().find(|(n, _)| *n == name) {
            return ((len + 1, Some((*t).to_string())), true);
        }
        if let Some((_, c)) = LEGACY.iter().find(|(n, _)| *n == name) {
            return ((len + 1, Some(c.to_string())), true);
        }
    }
    // Without a semicolon, the longest legacy name that prefixes the text matches.
    let best = LEGACY
        .iter()
        .filter(|(n, _)| name.starts_with(n))
        .max_by_key(|(n, _)| n.len());
    let exact = !semi && best.is_some_and(|(n, _)| n.len() == len);
    let found = match best {
        Some((n, c)) => {
            let next = b.get(n.len()).copied();
            if ctx == Context::Attribute
                && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric())
            {
                (0, None)
            } else {
                (n.len(), Some(c.to_string()))
            }
        }
        None => (0, None),
    };
    (found, exact)
}

fn numeric(rest: &str) -> (usize, Option<String>) {
    let b = rest.as_bytes();
    let hex = matches!(b.get(1), Some(b'x' | b'X'));
    let start = if hex { 2 } else { 1 };
    let digits = b[start..]
        .iter()
        .take_while(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return (0, None);
    }
    let text = &rest[start..start + digits];
    let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
    let mut used = start + digits;
    if b.get(used) == Some(&b';') {
        used += 1;
    }
    let cp = match value {
        0 => 0xFFFD,
        0x80..=0x9F => C1[(value - 0x80) as usize],
        v if v > 0x10FFFF => 0xFFFD,
        0xD800..=0xDFFF => 0xFFFD,
        v => v,
    };
    (
        used,
        Some(char::from_u32(cp).unwrap_or('\u{fffd}').to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_a_browser() {
        assert_eq!(decode_text("a &amp; b", Context::Data), "a & b");
        assert_eq!(decode_text("&lt;&gt;&quot;&#39;", Context::Data), "<>\"'");
        assert_eq!(decode_text("&#x41;&#65;&#128;", Context::Data), "AA€");
        assert_eq!(decode_text("&amp", Context::Data), "&");
        assert_eq!(decode_text("&notit;", Context::Data), "¬it;");
        assert_eq!(decode_text("&unknown;", Context::Data), "&unknown;");
        assert_eq!(decode_text("?a=1&amp=2", Context::Attribute), "?a=1&amp=2");
        assert_eq!(
            decode_text("&#0;&#xD800;", Context::Data),
            "\u{fffd}\u{fffd}"
        );
        assert_eq!(decode_text("a\r\nb\rc", Context::Data), "a\nb\nc");
        assert!(matches!(
            decode_text("plain", Context::Data),
            Cow::Borrowed(_)
        ));
    }
}

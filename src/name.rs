//! Operation resource names: what is accepted, and how a name becomes a URL
//! path under gRPC transcoding rules.

/// Longest name accepted, in UTF-8 bytes.
pub const MAX_NAME_BYTES: usize = 1024;

/// A checked operation resource name, e.g. `operations/abc` or
/// `projects/p/locations/global/operations/123`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationName(String);

impl OperationName {
    /// Checks `name` before any request is made.
    ///
    /// Accepted: `operations/{id...}` (the template of cancel, delete and list),
    /// `projects/{project}/operations/{id}` and
    /// `projects/{project}/locations/{location}/operations/{id}` (the names the
    /// service issues). Any character is allowed inside a segment except
    /// control and invisible characters; encoding makes it safe on the wire.
    /// Whitespace is allowed inside a segment, not at either end of the name:
    /// like an invisible character, it comes with a name copied from a page
    /// or a terminal, and would otherwise end in a puzzling NOT_FOUND.
    pub fn parse(name: &str) -> Result<OperationName, String> {
        if name.is_empty() {
            return Err("operation name is empty".into());
        }
        if name.len() > MAX_NAME_BYTES {
            return Err(format!("operation name is longer than {MAX_NAME_BYTES} bytes"));
        }
        if name.chars().any(char::is_control) {
            return Err(format!("operation name {} contains a control character", quote(name)));
        }
        if let Some(c) = name.chars().find(|c| is_invisible(*c)) {
            return Err(format!(
                "operation name {} contains the invisible character U+{:04X} (copied along with the name?)",
                quote(name),
                u32::from(c)
            ));
        }
        if name.trim() != name {
            return Err(format!("operation name {} starts or ends with whitespace", quote(name)));
        }
        if name.starts_with('/') || name.ends_with('/') {
            return Err(format!("operation name {} must not start or end with '/'", quote(name)));
        }
        let segments: Vec<&str> = name.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(format!("operation name {} has an empty segment", quote(name)));
        }
        if segments.iter().any(|s| *s == "." || *s == "..") {
            return Err(format!("operation name {} has a '.' or '..' segment", quote(name)));
        }
        let is_operation = matches!(
            segments.as_slice(),
            ["operations", _, ..] | ["projects", _, "operations", _] | ["projects", _, "locations", _, "operations", _]
        );
        if !is_operation {
            return Err(format!(
                "{} is not an operation name: expected operations/{{id}} or \
                 projects/{{project}}/locations/{{location}}/operations/{{id}}",
                quote(name)
            ));
        }
        Ok(OperationName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as a URL path: `[A-Za-z0-9-_.~/]` kept, every other byte of
    /// the UTF-8 form percent-encoded (`%` included), as gRPC transcoding does
    /// for a multi-segment variable.
    pub fn to_path(&self) -> String {
        encode_path(&self.0)
    }
}

/// Characters that show as nothing, or as blank space that is not
/// whitespace: soft hyphen, combining grapheme joiner, Hangul and Khmer
/// fillers, Mongolian selectors, zero-width spaces and joiners, direction
/// marks and overrides, word joiner and invisible operators, braille blank,
/// variation selectors, byte order mark, tags.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{2800}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Percent-encodes every byte outside `[A-Za-z0-9-_.~/]`.
pub fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 15));
        }
    }
    out
}

fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 { b'0' + nibble } else { b'A' + nibble - 10 })
}

/// The name for an error message: quoted, escaped, and cut to a readable length.
fn quote(name: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut shown: String = name.chars().take(MAX_CHARS).collect();
    if shown.len() < name.len() {
        shown.push('…');
    }
    format!("{shown:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(name: &str) -> String {
        OperationName::parse(name).unwrap_or_else(|e| panic!("{name:?}: {e}")).to_path()
    }

    fn refused(name: &str) -> String {
        match OperationName::parse(name) {
            Ok(n) => panic!("{name:?} should be refused, got {n:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn accepts_both_name_forms() {
        assert_eq!(path("operations/abc"), "operations/abc");
        assert_eq!(path("operations/a/b/c"), "operations/a/b/c");
        assert_eq!(
            path("projects/my-proj/locations/global/operations/16057489275411968357"),
            "projects/my-proj/locations/global/operations/16057489275411968357"
        );
        assert_eq!(path("projects/p/operations/1"), "projects/p/operations/1");
    }

    #[test]
    fn encodes_reserved_bytes() {
        assert_eq!(path("operations/a b"), "operations/a%20b");
        assert_eq!(path("operations/a?b#c"), "operations/a%3Fb%23c");
        assert_eq!(path("operations/100%"), "operations/100%25");
        assert_eq!(path("operations/x:cancel"), "operations/x%3Acancel");
        assert_eq!(path("operations/a+b&c=d;e,f@g"), "operations/a%2Bb%26c%3Dd%3Be%2Cf%40g");
        assert_eq!(path("operations/keep-_.~AZaz09"), "operations/keep-_.~AZaz09");
        assert_eq!(path("operations/..x"), "operations/..x");
        assert_eq!(path("operations/a\\b"), "operations/a%5Cb");
    }

    #[test]
    fn encodes_unicode_as_utf8() {
        assert_eq!(path("operations/🚀"), "operations/%F0%9F%9A%80");
        assert_eq!(path("operations/é"), "operations/%C3%A9");
    }

    #[test]
    fn refuses_malformed_names() {
        assert!(refused("").contains("empty"));
        assert!(refused("/operations/x").contains("start or end"));
        assert!(refused("operations/x/").contains("start or end"));
        assert!(refused("operations//x").contains("empty segment"));
        assert!(refused("operations/./x").contains("'.' or '..'"));
        assert!(refused("operations/x/..").contains("'.' or '..'"));
        assert!(refused("operations/..").contains("'.' or '..'"));
        assert!(refused("operations/a\nb").contains("control character"));
        assert!(refused("operations/a\u{0}b").contains("control character"));
        assert!(refused("operations/a\u{7f}").contains("control character"));
        assert!(refused("operations/a\u{85}").contains("control character"));
        assert!(refused("operations/123\u{200B}").contains("invisible character U+200B"));
        assert!(refused("\u{FEFF}operations/123").contains("invisible character U+FEFF"));
        assert!(refused("operations/1\u{202E}32").contains("invisible character U+202E"));
        for c in [
            '\u{034F}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{2800}',
            '\u{17B4}',
            '\u{FE0F}',
            '\u{E0100}',
            '\u{2028}',
            '\u{FFFA}',
            '\u{13430}',
            '\u{1BCA1}',
            '\u{1D175}',
        ] {
            assert!(refused(&format!("operations/1{c}2")).contains("invisible character"), "{c:?}");
        }
        assert!(refused("operations/123 ").contains("whitespace"));
        assert!(refused("operations/123\u{A0}").contains("whitespace"));
        assert!(refused(" operations/123").contains("whitespace"));
        assert!(refused(&format!("operations/{}", "x".repeat(MAX_NAME_BYTES))).contains("longer"));
        assert!(refused("https://example.com/operations/x").contains("empty segment"));
    }

    #[test]
    fn refuses_names_that_are_not_operations() {
        for name in [
            "operations",
            "abc",
            "projects/p",
            "projects/p/locations/l",
            "projects/p/locations/l/operations",
            "projects/p/locations/l/operations/1/extra",
            "projects/p/locations/l/jobs/1",
            "Operations/x",
            "v1/operations/x",
        ] {
            assert!(refused(name).contains("not an operation name"), "{name:?}");
        }
    }

    #[test]
    fn messages_quote_and_shorten_the_name() {
        let long = format!("x/{}", "y".repeat(500));
        let message = refused(&long);
        assert!(message.len() < 250, "{message}");
        assert!(message.contains('…'));
        assert!(refused("a\u{1b}[31m").contains("\\u{1b}"));
    }
}

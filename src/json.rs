//! A small, strict JSON reader for response bodies.
//!
//! It exists so that the wasm build does not carry `serde_json`, and so that
//! bodies from servers and proxies we do not control are read with fixed
//! limits: nesting deeper than [`MAX_DEPTH`] is refused instead of exhausting
//! the stack. Every value keeps the exact source text it was read from
//! ([`Value::raw`]), so the JS layer can hand objects such as error details to
//! the caller as they came, through the runtime's own `JSON.parse`.

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, PartialEq)]
pub struct Value<'a> {
    pub kind: Kind<'a>,
    /// The value's exact text in the input.
    pub raw: &'a str,
}

#[derive(Debug, PartialEq)]
pub enum Kind<'a> {
    Null,
    Bool(bool),
    /// The number's text, checked against the JSON grammar.
    Number(&'a str),
    String(String),
    Array(Vec<Value<'a>>),
    /// Members in source order; duplicate keys are kept (lookups take the last,
    /// as `JSON.parse` does).
    Object(Vec<(String, Value<'a>)>),
}

/// Why a text is not JSON, with the byte offset where reading stopped.
#[derive(Debug, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub reason: &'static str,
}

/// Parses one JSON value surrounded by optional whitespace.
pub fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    let mut p = Parser { text, pos: 0 };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != text.len() {
        return Err(p.error("unexpected text after the value"));
    }
    Ok(value)
}

impl<'a> Value<'a> {
    /// The member `key` of an object (the last one if repeated).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match &self.kind {
            Kind::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The value as an `i32` when it is a number with an integral value in
    /// range (`1`, `1.0` and `1e0` all qualify).
    pub fn as_i32(&self) -> Option<i32> {
        match self.kind {
            Kind::Number(text) => integral(text),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value<'a>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Object(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// Whether any string in the value, member names included, contains `needle`.
    pub fn contains_text(&self, needle: &str) -> bool {
        match &self.kind {
            Kind::String(s) => s.contains(needle),
            Kind::Array(items) => items.iter().any(|v| v.contains_text(needle)),
            Kind::Object(members) => members.iter().any(|(k, v)| k.contains(needle) || v.contains_text(needle)),
            _ => false,
        }
    }
}

/// Reads an integral number in `i32` range from checked JSON number text,
/// without floating point (which would pull a float parser into the wasm).
fn integral(text: &str) -> Option<i32> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (rest.get(..i)?, rest.get(i + 1..)?.parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = int_part.chars().chain(frac_part.chars()).collect();
    if digits.bytes().all(|b| b == b'0') {
        return Some(0);
    }
    let mut scale = exponent.checked_sub(i32::try_from(frac_part.len()).ok()?)?;
    while scale < 0 {
        if !digits.ends_with('0') {
            return None;
        }
        digits.pop();
        scale += 1;
    }
    let mut value: i64 = 0;
    for d in digits.bytes() {
        value = value.checked_mul(10)?.checked_add(i64::from(d.wrapping_sub(b'0')))?;
        if value > i64::from(i32::MAX) + 1 {
            return None;
        }
    }
    for _ in 0..scale {
        if value == 0 {
            break;
        }
        value = value.checked_mul(10)?;
        if value > i64::from(i32::MAX) + 1 {
            return None;
        }
    }
    i32::try_from(if negative { -value } else { value }).ok()
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, reason: &'static str) -> SyntaxError {
        SyntaxError { offset: self.pos, reason }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), SyntaxError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    fn literal(&mut self, word: &'static str) -> Result<(), SyntaxError> {
        if self.text.get(self.pos..).is_some_and(|rest| rest.starts_with(word)) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        let start = self.pos;
        let kind = match self.peek() {
            None => return Err(self.error("unexpected end of input")),
            Some(b'n') => self.literal("null").map(|()| Kind::Null)?,
            Some(b't') => self.literal("true").map(|()| Kind::Bool(true))?,
            Some(b'f') => self.literal("false").map(|()| Kind::Bool(false))?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b'[') => self.array(depth + 1)?,
            Some(b'{') => self.object(depth + 1)?,
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            Some(_) => return Err(self.error("unexpected character")),
        };
        let raw = self.text.get(start..self.pos).ok_or_else(|| self.error("bad span"))?;
        Ok(Value { kind, raw })
    }

    fn array(&mut self, depth: usize) -> Result<Kind<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Kind<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':', "expected ':'")?;
            self.skip_ws();
            members.push((key, self.value(depth)?));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Kind::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn number(&mut self) -> Result<&'a str, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("invalid number"));
            }
            self.digits();
        }
        self.text.get(start..self.pos).ok_or_else(|| self.error("bad span"))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1; // '"'
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..).ok_or_else(|| self.error("bad span"))?;
            // Copy the run of plain characters in one go.
            let run = rest.find(|c: char| c == '"' || c == '\\' || c < ' ').unwrap_or(rest.len());
            out.push_str(rest.get(..run).unwrap_or_default());
            self.pos += run;
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let c = self.peek().ok_or_else(|| self.error("unterminated escape"))?;
        self.pos += 1;
        let decoded = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                if (0xD800..0xDC00).contains(&unit) && self.text.get(self.pos..).is_some_and(|r| r.starts_with("\\u")) {
                    let save = self.pos;
                    self.pos += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER)
                    } else {
                        self.pos = save;
                        char::REPLACEMENT_CHARACTER
                    }
                } else {
                    // Lone surrogates have no UTF-8 form; JSON.parse keeps them,
                    // Rust strings cannot.
                    char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(decoded);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value<'_> {
        parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e:?}"))
    }

    #[test]
    fn scalars() {
        assert_eq!(ok("null").kind, Kind::Null);
        assert_eq!(ok(" true ").kind, Kind::Bool(true));
        assert_eq!(ok("false").kind, Kind::Bool(false));
        assert_eq!(ok("-12.5e+3").kind, Kind::Number("-12.5e+3"));
        assert_eq!(ok("0").kind, Kind::Number("0"));
        assert_eq!(ok(r#""a\"b\\c\/\n\u00e9""#).as_str(), Some("a\"b\\c/\né"));
    }

    #[test]
    fn surrogates() {
        assert_eq!(ok(r#""\ud83d\ude80""#).as_str(), Some("🚀"));
        assert_eq!(ok(r#""\ud83d""#).as_str(), Some("\u{fffd}"));
        assert_eq!(ok(r#""\ud83dx""#).as_str(), Some("\u{fffd}x"));
        assert_eq!(ok(r#""\ud83d\u0041""#).as_str(), Some("\u{fffd}A"));
        assert_eq!(ok(r#""\ude80""#).as_str(), Some("\u{fffd}"));
    }

    #[test]
    fn raw_spans_are_exact() {
        let v = ok(r#" { "a" : [1, {"b": null}] , "c": "x" } "#);
        assert_eq!(v.raw, r#"{ "a" : [1, {"b": null}] , "c": "x" }"#);
        let a = v.get("a").unwrap();
        assert_eq!(a.raw, r#"[1, {"b": null}]"#);
        assert_eq!(a.as_array().unwrap()[1].raw, r#"{"b": null}"#);
        assert_eq!(v.get("c").unwrap().raw, r#""x""#);
    }

    #[test]
    fn duplicate_keys_take_the_last() {
        assert_eq!(ok(r#"{"a":1,"a":2}"#).get("a").unwrap().as_i32(), Some(2));
    }

    #[test]
    fn integers() {
        let int = |t: &str| ok(t).as_i32();
        assert_eq!(int("404"), Some(404));
        assert_eq!(int("-1"), Some(-1));
        assert_eq!(int("1.0"), Some(1));
        assert_eq!(int("1e1"), Some(10));
        assert_eq!(int("1.50e1"), Some(15));
        assert_eq!(int("250e-1"), Some(25));
        assert_eq!(int("2147483647"), Some(i32::MAX));
        assert_eq!(int("-2147483648"), Some(i32::MIN));
        assert_eq!(int("2147483648"), None);
        assert_eq!(int("1.5"), None);
        assert_eq!(int("1e999999999999"), None);
        assert_eq!(int("1e400"), None);
        assert_eq!(int("0e999999999"), Some(0));
        assert_eq!(int("-0"), Some(0));
        assert_eq!(int("0.0e-5"), Some(0));
        assert_eq!(int("99999999999999999999999"), None);
        assert_eq!(ok("\"1\"").as_i32(), None);
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            " ",
            "{",
            "[",
            "[1,]",
            "{\"a\":}",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "nul",
            "tru",
            "\"abc",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\nb\"",
            "[1] [2]",
            "<html>",
            "{\"error\": {\"code\": 503",
            "NaN",
            "Infinity",
            "'a'",
            "\u{feff}{}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn depth_limit() {
        let ok_depth = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok_depth).is_ok());
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&too_deep).unwrap_err().reason, "nesting too deep");
        // Far deeper than any stack could take: still a plain error.
        let hostile = "[{\"a\":".repeat(200_000);
        assert!(parse(&hostile).is_err());
    }
}

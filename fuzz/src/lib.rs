//! Properties checked by the fuzz targets, one module per target. Each
//! `check` takes the fuzzer's bytes and panics (a crash for libFuzzer) when a
//! property does not hold; inputs that are not meant for a property return
//! early. Oracles (`serde_json`, `url`, `httpdate`) are independent
//! implementations the library's own code is compared with.

/// Percent-decodes text made only of `[A-Za-z0-9-_.~/]` and `%XX` with
/// upper-case hex digits; `None` for anything else.
fn strict_percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = |c: u8| match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'A'..=b'F' => Some(c - b'A' + 10),
                _ => None,
            };
            let high = hex(*bytes.get(i + 1)?)?;
            let low = hex(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b);
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// Operation names, endpoints and the URLs built from them.
pub mod name_url {
    use super::strict_percent_decode;
    use route_optimization_operations::name::{is_invisible, OperationName, MAX_NAME_BYTES};
    use route_optimization_operations::request::{self, CallOptions, Endpoint, HttpRequest, ListQuery};

    /// Input: `name \0 endpoint \0 filter \0 pageToken \0 collection \0 pageSize`,
    /// every field but the first optional.
    pub fn check(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else { return };
        let mut fields = text.split('\0');
        let name = fields.next().unwrap_or_default();
        let endpoint = fields.next();
        let filter = fields.next();
        let page_token = fields.next();
        let collection = fields.next();
        let page_size = fields.next().and_then(|s| s.parse::<u32>().ok());

        let options = match endpoint.map(Endpoint::parse) {
            Some(Ok(parsed)) => {
                check_endpoint(&parsed);
                CallOptions { endpoint: parsed, ..CallOptions::default() }
            }
            Some(Err(message)) => {
                assert!(!message.is_empty());
                CallOptions::default()
            }
            None => CallOptions::default(),
        };

        match OperationName::parse(name) {
            Ok(parsed) => check_name(name, &parsed, &options),
            // The name is quoted cut to 80 characters, each escaped to at most 10.
            Err(message) => assert!(!message.is_empty() && message.len() < 1024, "{message}"),
        }

        let collection = collection.and_then(|c| request::parse_collection(c).ok());
        if let Some(c) = &collection {
            assert!(c.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{c:?}");
        }
        let query = ListQuery {
            name: collection,
            filter: filter.map(str::to_owned),
            page_size,
            page_token: page_token.map(str::to_owned),
        };
        check_list(&query, &options);
    }

    fn check_endpoint(endpoint: &Endpoint) {
        let text = endpoint.as_str();
        assert!(text.starts_with("http://") || text.starts_with("https://"), "{text:?}");
        assert!(!text.ends_with('/'), "{text:?}");
        assert!(!text.contains(['?', '#', '\\']) && text.bytes().all(|b| b.is_ascii_graphic()), "{text:?}");
        let rest = text.split_once("://").map_or("", |(_, rest)| rest);
        let authority = rest.split('/').next().unwrap_or_default();
        assert!(!authority.is_empty() && !authority.contains('@'), "{text:?}");
    }

    /// The path a name becomes: only unreserved bytes, `/` and `%XX`; no
    /// empty, `.` or `..` segment; decodes back to the name.
    fn check_path(path: &str, original: &str) {
        let decoded = strict_percent_decode(path).unwrap_or_else(|| panic!("{path:?} has a byte that is not encoded"));
        assert_eq!(decoded, original.as_bytes(), "{path:?} does not decode to {original:?}");
        assert!(!path.contains(['?', '#']), "{path:?}");
        for segment in path.split('/') {
            assert!(!segment.is_empty() && segment != "." && segment != "..", "{path:?} has a dot or empty segment");
        }
    }

    fn check_name(name: &str, parsed: &OperationName, options: &CallOptions) {
        assert_eq!(parsed.as_str(), name);
        assert!(name.len() <= MAX_NAME_BYTES && !name.chars().any(char::is_control), "{name:?}");
        assert!(!name.chars().any(is_invisible) && name.trim() == name, "{name:?}");
        let segments: Vec<&str> = name.split('/').collect();
        assert!(
            matches!(
                segments.as_slice(),
                ["operations", _, ..]
                    | ["projects", _, "operations", _]
                    | ["projects", _, "locations", _, "operations", _]
            ),
            "{name:?} is not an operation name"
        );
        let path = parsed.to_path();
        check_path(&path, name);
        assert_eq!(path.split('/').count(), segments.len());

        let endpoint = options.endpoint.as_str();
        let requests = [
            (request::get(parsed, options), ""),
            (request::delete(parsed, options), ""),
            (request::cancel(parsed, options), ":cancel"),
        ];
        for (built, suffix) in requests {
            assert_eq!(built.url, format!("{endpoint}/v1/{path}{suffix}"));
            check_whatwg(&built, endpoint, &format!("/v1/{path}{suffix}"), &[]);
        }
    }

    /// What a WHATWG URL parser (the one `fetch` uses) makes of the URL: the
    /// same host and port as the endpoint, the path exactly as built (no
    /// dot-segment removal, no re-encoding), the query exactly as built.
    fn check_whatwg(built: &HttpRequest, endpoint: &str, tail: &str, query: &[(&str, String)]) {
        let Ok(base) = url::Url::parse(endpoint) else { return };
        let full = url::Url::parse(&built.url).unwrap_or_else(|e| panic!("{:?}: {e}", built.url));
        assert_eq!((full.scheme(), full.host_str(), full.port()), (base.scheme(), base.host_str(), base.port()));
        assert!(full.username().is_empty() && full.password().is_none() && full.fragment().is_none());
        let base_path = base.path().trim_end_matches('/');
        let path_end = tail.find('?').unwrap_or(tail.len());
        assert_eq!(full.path(), format!("{base_path}{}", &tail[..path_end]), "{:?}", built.url);
        let pairs: Vec<(String, String)> = full.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let expected: Vec<(String, String)> = query.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        assert_eq!(pairs, expected, "{:?}", built.url);
    }

    fn check_list(query: &ListQuery, options: &CallOptions) {
        let built = request::list(query, options);
        let endpoint = options.endpoint.as_str();
        let prefix = format!("{endpoint}/v1/");
        let tail = built.url.strip_prefix(&prefix).unwrap_or_else(|| panic!("{:?}", built.url));
        let (path, query_string) = tail.split_once('?').unwrap_or((tail, ""));
        check_path(path, query.name.as_deref().unwrap_or("operations"));
        assert!(!query_string.contains('#'), "{tail:?}");

        let mut expected = Vec::new();
        if let Some(filter) = &query.filter {
            expected.push(("filter", filter.clone()));
        }
        if let Some(size) = query.page_size {
            expected.push(("pageSize", size.to_string()));
        }
        if let Some(token) = query.page_token.as_ref().filter(|t| !t.is_empty()) {
            expected.push(("pageToken", token.clone()));
        }
        let got: Vec<(&str, Vec<u8>)> = if query_string.is_empty() {
            Vec::new()
        } else {
            query_string
                .split('&')
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or_else(|| panic!("{pair:?} in {tail:?}"));
                    assert!(!value.contains('/'), "{value:?} keeps a '/'");
                    let decoded = strict_percent_decode(value).unwrap_or_else(|| panic!("{value:?} is not encoded"));
                    (key, decoded)
                })
                .collect()
        };
        let want: Vec<(&str, Vec<u8>)> = expected.iter().map(|(k, v)| (*k, v.as_bytes().to_vec())).collect();
        assert_eq!(got, want, "{tail:?}");
        check_whatwg(&built, endpoint, &format!("/v1/{tail}"), &expected);
    }
}

/// The JSON reader, against `serde_json`.
pub mod json {
    use route_optimization_operations::json::{self, Kind, Value, MAX_DEPTH};

    pub fn check(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else { return };
        let ours = json::parse(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(value), Ok(reference)) => {
                assert_eq!(value.raw, text.trim_matches([' ', '\t', '\n', '\r']));
                same(value, reference);
                spans_reparse(value);
            }
            (Ok(value), Err(e)) => {
                // serde_json refuses lone surrogates (kept as U+FFFD here, as
                // JSON.parse keeps them) and numbers beyond f64 (kept as text here).
                let reason = e.to_string();
                assert!(
                    reason.contains("surrogate")
                        || reason.contains("hex escape")
                        || reason.contains("number out of range"),
                    "accepted what serde_json refuses ({reason}): {text:?}"
                );
                spans_reparse(value);
            }
            (Err(e), Ok(_)) => {
                assert!(depth(text) > MAX_DEPTH, "refused valid JSON ({e:?}): {text:?}");
            }
            (Err(e), Err(_)) => assert!(e.offset <= text.len()),
        }
    }

    /// Deepest nesting of `[`/`{` outside strings (an upper bound is enough).
    fn depth(text: &str) -> usize {
        let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
        for b in text.bytes() {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        deepest
    }

    fn same(value: &Value<'_>, reference: &serde_json::Value) {
        use serde_json::Value as J;
        match (&value.kind, reference) {
            (Kind::Null, J::Null) => {}
            (Kind::Bool(a), J::Bool(b)) => assert_eq!(a, b),
            (Kind::String(a), J::String(b)) => assert_eq!(a, b),
            (Kind::Number(text), J::Number(n)) => {
                assert_eq!(*text, value.raw);
                if let Some(i) = value.as_i32() {
                    assert_eq!(n.as_f64(), Some(f64::from(i)), "{text} read as {i}");
                }
                if let Some(i) = n.as_i64().and_then(|i| i32::try_from(i).ok()) {
                    assert_eq!(value.as_i32(), Some(i), "{text} is the integer {i}");
                }
            }
            (Kind::Array(items), J::Array(reference)) => {
                assert_eq!(items.len(), reference.len());
                items.iter().zip(reference).for_each(|(a, b)| same(a, b));
            }
            (Kind::Object(members), J::Object(reference)) => {
                let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
                keys.sort_unstable();
                keys.dedup();
                assert_eq!(keys.len(), reference.len());
                for (key, expected) in reference {
                    same(value.get(key).unwrap_or_else(|| panic!("member {key:?} lost")), expected);
                }
            }
            (kind, reference) => panic!("{kind:?} read where serde_json reads {reference:?}"),
        }
    }

    /// Every value's `raw` text parses on its own to the same value.
    fn spans_reparse(value: &Value<'_>) {
        let again = json::parse(value.raw).unwrap_or_else(|e| panic!("raw {:?} does not parse: {e:?}", value.raw));
        assert_eq!(&again, value);
        match &value.kind {
            Kind::Array(items) => items.iter().for_each(spans_reparse),
            Kind::Object(members) => members.iter().for_each(|(_, v)| spans_reparse(v)),
            _ => {}
        }
    }
}

/// Status and body into results: `empty`, `operation`, `list_page`, `api_error`.
pub mod responses {
    use route_optimization_operations::code::Code;
    use route_optimization_operations::error::{Error, ErrorKind, MAX_BODY_SNIPPET};
    use route_optimization_operations::json;
    use route_optimization_operations::response::{self, Fate, Operation};

    /// Input: an optional first line with the HTTP status in decimal (200
    /// when absent or unreadable), then the body.
    pub fn check(data: &[u8]) {
        let (status, body) = match data.iter().position(|&b| b == b'\n') {
            Some(i) => match std::str::from_utf8(&data[..i]).ok().and_then(|s| s.parse::<u16>().ok()) {
                Some(status) => (status, &data[i + 1..]),
                None => (200, data),
            },
            None => (200, data),
        };
        // The transport hands the body over as a JS string turned into UTF-8.
        let body = String::from_utf8_lossy(body);
        let success = (200..300).contains(&status);

        let error = response::api_error(status, &body);
        check_error(&error, status, &body);
        assert_eq!(error.kind, ErrorKind::Api);

        match response::empty(status, &body) {
            Ok(()) => {
                assert!(success);
                if !body.trim().is_empty() {
                    let value = json::parse(&body).unwrap_or_else(|e| panic!("accepted non-JSON: {e:?}"));
                    assert!(value.is_object() && !value.get("error").is_some_and(json::Value::is_object));
                }
            }
            Err(e) => check_failure(&e, status, &body),
        }
        match response::operation(status, &body) {
            Ok(op) => {
                assert!(success);
                check_operation(&op);
                let value = json::parse(&body).unwrap_or_else(|e| panic!("accepted non-JSON: {e:?}"));
                assert_eq!(value.get("name").and_then(json::Value::as_str), Some(op.name.as_str()));
            }
            Err(e) => check_failure(&e, status, &body),
        }
        match response::list_page(status, &body) {
            Ok(page) => {
                assert!(success);
                page.operations.iter().for_each(check_operation);
            }
            Err(e) => check_failure(&e, status, &body),
        }
    }

    fn check_failure(error: &Error, status: u16, body: &str) {
        check_error(error, status, body);
        if (200..300).contains(&status) {
            assert!(matches!(error.kind, ErrorKind::BadResponse | ErrorKind::Api), "{error:?}");
        } else {
            assert_eq!(error.kind, ErrorKind::Api, "{error:?}");
        }
    }

    fn check_error(error: &Error, status: u16, body: &str) {
        assert_eq!(error.http_status, Some(status));
        assert!(!error.message.is_empty());
        assert_ne!(error.code, Code::OK, "an error with code OK: {error:?}");
        assert!(error.code.0 > 0 && error.code.0 <= 16, "{error:?}");
        if let Some(kept) = &error.body {
            assert!(kept.len() <= MAX_BODY_SNIPPET && body.starts_with(kept.as_str()), "{error:?}");
        }
        for detail in &error.details {
            assert!(json::parse(detail).is_ok(), "detail {detail:?} is not JSON");
        }
        if error.retry_delay_ms.is_some() {
            assert!(error.details.iter().any(|d| d.contains("RetryInfo")), "{error:?}");
        }
    }

    fn check_operation(op: &Operation) {
        assert!(!op.name.is_empty());
        for text in [&op.metadata, &op.response].into_iter().flatten() {
            assert!(json::parse(text).is_ok_and(|v| v.is_object()), "{text:?}");
        }
        if let Some(status) = &op.error {
            status.details.iter().for_each(|d| assert!(json::parse(d).is_ok(), "{d:?}"));
        }
        let fate = op.fate();
        assert_eq!(fate == Fate::Running, !op.done);
    }
}

/// `Retry-After` headers and `RetryInfo.retryDelay` durations.
pub mod retry_after {
    use route_optimization_operations::policy::parse_retry_after;
    use route_optimization_operations::response::{api_error, parse_duration_ms};
    use std::time::UNIX_EPOCH;

    /// Clocks the header is read against, in ms since the epoch.
    const NOWS: [f64; 5] = [0.0, 784_111_777_000.0, 1_796_304_138_000.0, 1_796_304_138_000.5, 253_402_300_799_000.0];

    pub fn check(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else { return };
        let trimmed = text.trim();
        let digits = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
        let oracle = httpdate::parse_http_date(trimmed).ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
        // The IMF-fixdate form: `Sun, 06 Nov 1994 08:49:37 GMT`.
        let imf_fixdate = trimmed.len() == 29 && trimmed.as_bytes().get(3) == Some(&b',');
        let mut previous: Option<u64> = None;
        for now in NOWS {
            let delay = parse_retry_after(text, now);
            if digits {
                if let Ok(seconds @ 0..=1_000_000_000_000_000) = trimmed.parse::<u64>() {
                    assert_eq!(delay, Some(seconds * 1000), "{text:?}");
                }
            } else if let Some(date) = oracle {
                let date_ms = date.as_millis() as f64;
                let expected = if date_ms > now { (date_ms - now).ceil() as u64 } else { 0 };
                if imf_fixdate {
                    assert_eq!(delay, Some(expected), "{text:?} at {now}");
                } else if let Some(delay) = delay {
                    assert_eq!(delay, expected, "{text:?} at {now}");
                }
            }
            // A later clock never asks for a longer wait.
            if let (Some(before), Some(after)) = (previous, delay) {
                assert!(after <= before, "{text:?}: {after} after {before}");
            }
            previous = delay;
        }

        let duration = parse_duration_ms(text);
        assert_eq!(duration, reference_duration_ms(text), "{text:?}");

        // The same duration inside a 429's RetryInfo detail.
        let quoted = serde_json::to_string(text).unwrap_or_default();
        let body = format!(
            r#"{{"error":{{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":{quoted}}}]}}}}"#
        );
        let error = api_error(429, &body);
        assert_eq!(error.retry_delay_ms, duration, "{body}");
        assert_eq!(error.retryable(), duration.is_some());
    }

    /// `google.protobuf.Duration` JSON (`"1.5s"`), non-negative, at most 12
    /// integer and 9 fraction digits, rounded up to whole ms: computed on
    /// exact nanoseconds.
    fn reference_duration_ms(text: &str) -> Option<u64> {
        let number = text.strip_suffix('s')?;
        let (int, frac) = match number.find('.') {
            Some(i) => (&number[..i], Some(&number[i + 1..])),
            None => (number, None),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || int.len() > 12 || !all_digits(int) {
            return None;
        }
        let mut nanos: u128 = int.parse::<u128>().ok()? * 1_000_000_000;
        if let Some(frac) = frac {
            if frac.is_empty() || frac.len() > 9 || !all_digits(frac) {
                return None;
            }
            nanos += frac.parse::<u128>().ok()? * 10u128.pow(9 - frac.len() as u32);
        }
        u64::try_from(nanos.div_ceil(1_000_000)).ok()
    }
}

/// Retry and poll decisions.
pub mod policy {
    use route_optimization_operations::code::Code;
    use route_optimization_operations::error::{Error, ErrorKind};
    use route_optimization_operations::policy::{decide, is_retryable, Backoff, Decision, Polling};
    use route_optimization_operations::request::MAX_TIMEOUT_MS;

    /// Reads fixed-width fields; missing bytes read as zero.
    struct Reader<'a>(&'a [u8]);

    impl Reader<'_> {
        fn u64(&mut self, width: usize) -> u64 {
            let mut value = 0u64;
            for i in 0..width {
                let byte = self.0.get(i).copied().unwrap_or(0);
                value |= u64::from(byte) << (8 * i);
            }
            self.0 = self.0.get(width..).unwrap_or_default();
            value
        }

        fn u8(&mut self) -> u8 {
            self.u64(1) as u8
        }

        /// A tag byte picks raw bits (NaN, infinities, negatives, subnormals)
        /// or a realistic integral or decimal number of milliseconds.
        fn f64(&mut self) -> f64 {
            let tag = self.u8();
            let bits = self.u64(8);
            match tag % 4 {
                0 => f64::from_bits(bits),
                1 => (bits % (1 << 53)) as f64,
                2 => (bits % 100_000_000) as f64,
                _ => (bits % 100_000) as f64 / 1000.0,
            }
        }
    }

    /// A clock reading as `Date.now()` gives it: integral, non-negative, exact.
    fn clock(value: f64) -> Option<i128> {
        (value.is_finite() && value >= 0.0 && value < 9_007_199_254_740_992.0 && value.fract() == 0.0)
            .then_some(value as i128)
    }

    pub fn check(data: &[u8]) {
        let mut r = Reader(data);
        let backoff = Backoff {
            max_attempts: r.u8().into(),
            initial_delay_ms: r.f64(),
            multiplier: r.f64(),
            max_delay_ms: r.f64(),
        };
        let attempt = if r.u8() & 1 == 0 { u32::from(r.u8()) } else { r.u64(4) as u32 };
        let http_status = r.u64(2) as u16;
        let mut error = match r.u8() % 6 {
            0 => Error::network("connection reset"),
            1 => Error::api(Code(i32::from(r.u8() % 20) - 1), http_status, "m".into()),
            2 => Error::timeout(5),
            3 => Error::aborted(),
            4 => Error::invalid_argument("x"),
            _ => Error::bad_response(http_status, "m".into(), "<html>"),
        };
        if r.u8() & 1 == 1 {
            error.retry_delay_ms = Some(if r.u8() & 1 == 0 { r.u64(3) } else { r.u64(8) });
        }
        let now = r.f64();
        let deadline = (r.u8() & 1 == 1).then(|| r.f64());
        let random = r.f64();

        let decision = decide(&backoff, attempt, error.clone(), now, deadline, random);
        let valid = backoff.validate().is_ok();
        let exact_clocks = clock(now).zip(deadline.map_or(Some(None), |d| clock(d).map(Some)));
        match &decision {
            Decision::RetryAfter(delay) => {
                assert!(is_retryable(&error) && attempt < backoff.max_attempts, "{decision:?} for {error:?}");
                if let Some((now, Some(deadline))) = exact_clocks {
                    assert!(
                        now + i128::from(*delay) < deadline,
                        "a delay of {delay} ms from {now} ends past {deadline}"
                    );
                }
                match error.retry_delay_ms {
                    Some(asked) if asked < 1 << 53 => {
                        assert_eq!(*delay, asked);
                        assert!(asked as f64 <= backoff.max_delay_ms, "slept {asked} ms, over maxDelayMs");
                    }
                    Some(_) => {}
                    None if valid => {
                        assert!(*delay as f64 <= backoff.ceiling_ms(attempt), "{delay} over the ceiling");
                        assert!(*delay as f64 <= backoff.max_delay_ms, "{delay} over maxDelayMs");
                    }
                    None => {}
                }
            }
            Decision::Fail(failed) => {
                let too_long = error
                    .retry_delay_ms
                    .is_some_and(|asked| backoff.max_delay_ms.is_nan() || asked as f64 > backoff.max_delay_ms);
                if !is_retryable(&error) || attempt >= backoff.max_attempts || too_long {
                    assert_eq!(failed, &error);
                } else {
                    assert!(deadline.is_some(), "gave up with no deadline: {failed:?}");
                    assert_eq!((failed.kind, failed.code), (ErrorKind::Timeout, Code::DEADLINE_EXCEEDED));
                    assert_eq!(failed.http_status, error.http_status);
                }
            }
        }

        if valid {
            let ceiling = backoff.ceiling_ms(attempt);
            assert!(ceiling >= 0.0 && ceiling <= backoff.max_delay_ms, "ceiling {ceiling} for {backoff:?}");
            assert!(ceiling <= backoff.ceiling_ms(attempt.saturating_add(1)), "ceiling shrinks: {backoff:?}");
            if backoff.initial_delay_ms == 0.0 {
                assert_eq!(ceiling, 0.0, "a zero initial delay grew at attempt {attempt}: {backoff:?}");
            }
        }

        // Polling, with the settings `waitOperation` accepts (delays from 0
        // to MAX_TIMEOUT_MS, multiplier 1.5) or any others.
        let polling = Polling {
            initial_delay_ms: r.f64(),
            max_delay_ms: r.f64(),
            multiplier: if r.u8() & 1 == 0 { Polling::DEFAULT.multiplier } else { r.f64() },
        };
        let polls = if r.u8() & 1 == 0 { u32::from(r.u8()) } else { r.u64(4) as u32 };
        let in_range = |v: f64| v.is_finite() && (0.0..=f64::from(MAX_TIMEOUT_MS)).contains(&v);
        let poll_valid = in_range(polling.initial_delay_ms)
            && in_range(polling.max_delay_ms)
            && polling.multiplier.is_finite()
            && polling.multiplier >= 1.0;
        if let Some(delay) = polling.next_delay(polls, random, now, deadline) {
            if let Some((now, Some(deadline))) = exact_clocks {
                assert!(
                    now + i128::from(delay) < deadline,
                    "a poll delay of {delay} ms from {now} ends past {deadline}"
                );
            }
            if poll_valid {
                assert!(delay as f64 <= polling.max_delay_ms, "{delay} over maxDelayMs for {polling:?}");
                if polling.initial_delay_ms == 0.0 {
                    assert_eq!(delay, 0, "a zero initial poll delay grew at poll {polls}: {polling:?}");
                }
            }
        } else if poll_valid {
            assert!(deadline.is_some(), "no poll without a deadline: {polling:?}");
        }
    }
}

//! Scripted responses, so tests can make the server misbehave the way
//! proxies and overloaded backends do. A fault matches a method and an exact
//! raw request path and is used up after `times` requests.

use serde_json::Value;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// `None` matches every method.
    pub method: Option<String>,
    pub path: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
    pub times: u32,
    /// Cut the connection after the headers (or after `stall_after` bytes)
    /// instead of sending the rest of the body.
    pub drop: bool,
    /// Send only this many bytes of the body, then hang (or cut, with `drop`).
    pub stall_after: Option<u64>,
    /// Repeat `body` up to this many bytes, streamed without Content-Length.
    pub size: Option<u64>,
    /// Send the body gzip-compressed, with `Content-Encoding: gzip`.
    pub gzip: bool,
}

/// Most bytes a `size` fault may ask for.
pub const MAX_SIZE: u64 = 1 << 30;

impl Fault {
    /// Reads `{method?, path, status?, headers?, body?, delayMs?, times?, drop?,
    /// stallAfter?, size?, gzip?}`.
    pub fn from_json(value: &Value) -> Result<Fault, String> {
        let path = value.get("path").and_then(Value::as_str).ok_or("`path` (string) is required")?;
        if !path.starts_with('/') {
            return Err("`path` must start with '/'".into());
        }
        let status = match value.get("status") {
            None => 200,
            Some(v) => v.as_u64().filter(|s| (200..=599).contains(s)).ok_or("`status` must be 200-599")? as u16,
        };
        let mut headers = Vec::new();
        if let Some(h) = value.get("headers") {
            for (name, v) in h.as_object().ok_or("`headers` must be an object")? {
                let v = v.as_str().ok_or("header values must be strings")?;
                let valid_name = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !valid_name || v.bytes().any(|b| b < 0x20 && b != b'\t') {
                    return Err(format!("header {name:?} is not a valid HTTP header"));
                }
                headers.push((name.clone(), v.to_owned()));
            }
        }
        let body = match value.get("body") {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let delay_ms = value.get("delayMs").map_or(Some(0), Value::as_u64).ok_or("`delayMs` must be a number")?;
        let times = value.get("times").map_or(Some(1), Value::as_u64).ok_or("`times` must be a number")?;
        Ok(Fault {
            method: value.get("method").and_then(Value::as_str).map(str::to_ascii_uppercase),
            path: path.to_owned(),
            status,
            headers,
            body,
            delay: Duration::from_millis(delay_ms.min(600_000)),
            times: u32::try_from(times).unwrap_or(u32::MAX).max(1),
            drop: value.get("drop").and_then(Value::as_bool).unwrap_or(false),
            stall_after: value
                .get("stallAfter")
                .map(|v| v.as_u64().ok_or("`stallAfter` must be a number"))
                .transpose()?,
            size: value
                .get("size")
                .map(|v| v.as_u64().filter(|n| *n <= MAX_SIZE).ok_or("`size` must be a number of bytes up to 1 GiB"))
                .transpose()?,
            gzip: value.get("gzip").and_then(Value::as_bool).unwrap_or(false),
        })
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.path == path && self.method.as_deref().is_none_or(|m| m == method)
    }
}

#[derive(Default)]
pub struct Faults(Vec<Fault>);

impl Faults {
    pub fn push(&mut self, fault: Fault) {
        self.0.push(fault);
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The first fault for this request, counted as used.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let index = self.0.iter().position(|f| f.matches(method, path))?;
        let fault = self.0.get_mut(index)?;
        fault.times -= 1;
        let taken = fault.clone();
        if fault.times == 0 {
            self.0.remove(index);
        }
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parsing() {
        let f = Fault::from_json(&json!({"path": "/v1/x", "status": 502, "body": "<html>", "headers": {"content-type": "text/html"}, "delayMs": 5, "times": 2, "method": "post"})).unwrap();
        assert_eq!((f.status, f.body.as_str(), f.times, f.method.as_deref()), (502, "<html>", 2, Some("POST")));
        assert_eq!(Fault::from_json(&json!({"path": "/x", "body": {"error": {}}})).unwrap().body, r#"{"error":{}}"#);
        let f = Fault::from_json(&json!({"path": "/x", "status": 302, "stallAfter": 3, "size": 100, "gzip": true}))
            .unwrap();
        assert_eq!((f.status, f.stall_after, f.size, f.gzip, f.drop), (302, Some(3), Some(100), true, false));
        for bad in [
            json!({}),
            json!({"path": "x"}),
            json!({"path": "/x", "status": 99}),
            json!({"path": "/x", "headers": []}),
            json!({"path": "/x", "headers": {"bad header\n": "v"}}),
            json!({"path": "/x", "size": "big"}),
            json!({"path": "/x", "size": 2u64 << 30}),
            json!({"path": "/x", "stallAfter": -1}),
        ] {
            assert!(Fault::from_json(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn faults_are_used_up_in_order() {
        let mut faults = Faults::default();
        faults.push(Fault::from_json(&json!({"path": "/a", "status": 503, "times": 2})).unwrap());
        faults.push(Fault::from_json(&json!({"path": "/a", "status": 500, "method": "GET"})).unwrap());
        assert_eq!(faults.take("POST", "/a").map(|f| f.status), Some(503));
        assert_eq!(faults.take("POST", "/b"), None);
        assert_eq!(faults.take("POST", "/a").map(|f| f.status), Some(503));
        assert_eq!(faults.take("POST", "/a"), None);
        assert_eq!(faults.take("GET", "/a").map(|f| f.status), Some(500));
        assert_eq!(faults.take("GET", "/a"), None);
    }
}

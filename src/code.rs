//! Canonical `google.rpc.Code` values, their names, and the mapping from HTTP
//! status codes used when a server does not say which code it meant.

/// A canonical RPC status code (`google.rpc.Code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code(pub i32);

const NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

impl Code {
    pub const OK: Code = Code(0);
    pub const CANCELLED: Code = Code(1);
    pub const UNKNOWN: Code = Code(2);
    pub const INVALID_ARGUMENT: Code = Code(3);
    pub const DEADLINE_EXCEEDED: Code = Code(4);
    pub const NOT_FOUND: Code = Code(5);
    pub const PERMISSION_DENIED: Code = Code(7);
    pub const RESOURCE_EXHAUSTED: Code = Code(8);
    pub const FAILED_PRECONDITION: Code = Code(9);
    pub const ABORTED: Code = Code(10);
    pub const OUT_OF_RANGE: Code = Code(11);
    pub const UNIMPLEMENTED: Code = Code(12);
    pub const INTERNAL: Code = Code(13);
    pub const UNAVAILABLE: Code = Code(14);
    pub const UNAUTHENTICATED: Code = Code(16);

    /// The canonical name (`"NOT_FOUND"`); codes outside the enum are `"UNKNOWN"`.
    pub fn name(self) -> &'static str {
        usize::try_from(self.0).ok().and_then(|i| NAMES.get(i)).copied().unwrap_or("UNKNOWN")
    }

    /// The code for a canonical name, if it is one.
    pub fn from_name(name: &str) -> Option<Code> {
        NAMES.iter().position(|n| *n == name).and_then(|i| i32::try_from(i).ok()).map(Code)
    }

    /// The code a REST error with this HTTP status stands for, following the
    /// HTTP mapping documented on `google.rpc.Code`.
    pub fn from_http(status: u16) -> Code {
        match status {
            200..=299 => Code::OK,
            400 => Code::INVALID_ARGUMENT,
            401 => Code::UNAUTHENTICATED,
            403 => Code::PERMISSION_DENIED,
            404 => Code::NOT_FOUND,
            409 => Code::ABORTED,
            412 => Code::FAILED_PRECONDITION,
            416 => Code::OUT_OF_RANGE,
            429 => Code::RESOURCE_EXHAUSTED,
            499 => Code::CANCELLED,
            500 => Code::INTERNAL,
            501 => Code::UNIMPLEMENTED,
            502 | 503 => Code::UNAVAILABLE,
            504 => Code::DEADLINE_EXCEEDED,
            _ => Code::UNKNOWN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for i in 0..17 {
            let code = Code(i);
            assert_eq!(Code::from_name(code.name()), Some(code));
        }
        assert_eq!(Code::NOT_FOUND.name(), "NOT_FOUND");
        assert_eq!(Code::UNAUTHENTICATED.name(), "UNAUTHENTICATED");
    }

    #[test]
    fn unknown_names_and_codes() {
        assert_eq!(Code::from_name("NOT_A_CODE"), None);
        assert_eq!(Code::from_name("not_found"), None);
        assert_eq!(Code(17).name(), "UNKNOWN");
        assert_eq!(Code(-1).name(), "UNKNOWN");
    }

    #[test]
    fn http_mapping() {
        let cases = [
            (200, Code::OK),
            (204, Code::OK),
            (400, Code::INVALID_ARGUMENT),
            (401, Code::UNAUTHENTICATED),
            (403, Code::PERMISSION_DENIED),
            (404, Code::NOT_FOUND),
            (409, Code::ABORTED),
            (412, Code::FAILED_PRECONDITION),
            (416, Code::OUT_OF_RANGE),
            (429, Code::RESOURCE_EXHAUSTED),
            (499, Code::CANCELLED),
            (500, Code::INTERNAL),
            (501, Code::UNIMPLEMENTED),
            (502, Code::UNAVAILABLE),
            (503, Code::UNAVAILABLE),
            (504, Code::DEADLINE_EXCEEDED),
            (418, Code::UNKNOWN),
            (302, Code::UNKNOWN),
            (599, Code::UNKNOWN),
        ];
        for (http, code) in cases {
            assert_eq!(Code::from_http(http), code, "HTTP {http}");
        }
    }
}

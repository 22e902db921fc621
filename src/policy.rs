//! When to try again: retry and polling decisions as pure functions of the
//! error, the attempt count, the clock and a random number, so they can be
//! tested without waiting.

use crate::code::Code;
use crate::error::{Error, ErrorKind};

/// Exponential backoff with full jitter, an attempt cap, and the deadline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// Most attempts in all (the first one included). 1 disables retries.
    pub max_attempts: u32,
    pub initial_delay_ms: f64,
    pub multiplier: f64,
    pub max_delay_ms: f64,
}

impl Backoff {
    /// Retries of one request: up to 5 attempts, delays drawn from
    /// [0, 0.5 s], [0, 1 s], [0, 2 s], ... capped at 30 s.
    pub const RETRY: Backoff =
        Backoff { max_attempts: 5, initial_delay_ms: 500.0, multiplier: 2.0, max_delay_ms: 30_000.0 };
    /// No retries at all.
    pub const NONE: Backoff = Backoff { max_attempts: 1, ..Backoff::RETRY };

    /// The longest delay before attempt `attempt + 1`, without jitter.
    pub fn ceiling_ms(&self, attempt: u32) -> f64 {
        grown(self.initial_delay_ms, self.multiplier, attempt).min(self.max_delay_ms).max(0.0)
    }

    /// Checks user-supplied settings.
    pub fn validate(&self) -> Result<(), String> {
        let finite_non_negative = |v: f64| v.is_finite() && v >= 0.0;
        if self.max_attempts == 0 || self.max_attempts > 100 {
            return Err("retry.maxAttempts must be from 1 to 100".into());
        }
        if !finite_non_negative(self.initial_delay_ms) || !finite_non_negative(self.max_delay_ms) {
            return Err("retry delays must be finite numbers >= 0".into());
        }
        if !self.multiplier.is_finite() || self.multiplier < 1.0 {
            return Err("retry.multiplier must be a finite number >= 1".into());
        }
        Ok(())
    }
}

/// `initial × multiplier^(n - 1)`. A zero initial delay stays zero however
/// large the power grows (0 × ∞ would be NaN, and `NaN.min(cap)` is the cap).
fn grown(initial: f64, multiplier: f64, n: u32) -> f64 {
    let exponent = i32::try_from(n.saturating_sub(1)).unwrap_or(i32::MAX);
    let value = initial * multiplier.powi(exponent);
    if value.is_nan() {
        0.0
    } else {
        value
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Sleep this long, then try again.
    RetryAfter(u64),
    /// Fail with this error.
    Fail(Error),
}

/// Whether the policy retries this error at all: the service is unavailable,
/// the request never got an answer, or the server asked to come back later
/// and said when. Never other 4xx, never after an abort or a timeout.
pub fn is_retryable(error: &Error) -> bool {
    match error.kind {
        ErrorKind::Network => true,
        ErrorKind::Api => {
            error.code == Code::UNAVAILABLE
                || (error.code == Code::RESOURCE_EXHAUSTED && error.retry_delay_ms.is_some())
        }
        _ => false,
    }
}

/// Decides after attempt number `attempt` (1-based) failed with `error`.
/// `now_ms` and `deadline_ms` are on the same clock; `random` is in [0, 1).
/// A delay the server asked for wins over the computed one, unless it is
/// longer than `max_delay_ms`: then the call fails now with the server's
/// error (which carries the delay) instead of sleeping past what the caller
/// allowed. No delay ever ends past the deadline: if the next attempt could
/// not start before it, the call fails now with `timeout`.
pub fn decide(
    backoff: &Backoff,
    attempt: u32,
    error: Error,
    now_ms: f64,
    deadline_ms: Option<f64>,
    random: f64,
) -> Decision {
    if !is_retryable(&error) || attempt >= backoff.max_attempts {
        return Decision::Fail(error);
    }
    let jitter = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
    let delay = match error.retry_delay_ms {
        // Written so that a NaN `max_delay_ms` (settings never validated) also refuses.
        Some(asked) if backoff.max_delay_ms.is_nan() || asked as f64 > backoff.max_delay_ms => {
            return Decision::Fail(error)
        }
        Some(asked) => asked as f64,
        None => (jitter * backoff.ceiling_ms(attempt)).floor(),
    };
    // Unvalidated settings can make 0 × ∞ = NaN here; NaN would pass the
    // deadline test below, so it counts as no delay (`NaN.max(0)` is 0).
    let delay = delay.max(0.0);
    if deadline_ms.is_some_and(|deadline| now_ms + delay >= deadline) {
        let what = format!("the deadline (deadlineMs) passes before attempt {} could start", attempt + 1);
        return Decision::Fail(deadline_error(what, &error));
    }
    // Non-negative here; the conversion saturates an infinite delay.
    Decision::RetryAfter(delay as u64)
}

/// The error for a call whose deadline passes while it retries: `what`
/// happened, and what the last attempt got.
pub fn deadline_error(what: String, last: &Error) -> Error {
    let mut error = Error::deadline(format!("{what}; last error: {}", last.message));
    error.http_status = last.http_status;
    error
}

/// The delay of a `Retry-After` header: delta-seconds or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), relative to `now_epoch_ms`. A date in
/// the past means no delay; anything unreadable is ignored.
pub fn parse_retry_after(value: &str, now_epoch_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(|s| s.saturating_mul(1000));
    }
    let date_ms = parse_http_date(value)?;
    let delay = date_ms - now_epoch_ms;
    Some(if delay > 0.0 { delay.ceil() as u64 } else { 0 })
}

/// IMF-fixdate, the form HTTP/1.1 servers send, in ms since the epoch.
fn parse_http_date(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split(' ').collect();
    let [_weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: i64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| m == month)?;
    let year: i64 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let hms: Vec<i64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    if !(0..24).contains(h) || !(0..60).contains(m) || !(0..61).contains(s) {
        return None;
    }
    let days = days_from_civil(year, i64::try_from(month).ok()? + 1, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Polling of a running operation: the delay before poll `poll + 1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Polling {
    pub initial_delay_ms: f64,
    pub max_delay_ms: f64,
    pub multiplier: f64,
}

impl Polling {
    /// 0.5 s, then ×1.5 per poll up to 10 s.
    pub const DEFAULT: Polling = Polling { initial_delay_ms: 500.0, max_delay_ms: 10_000.0, multiplier: 1.5 };

    /// Delay after `polls` polls (1-based), with up to 10% jitter taken off;
    /// `None` when the next poll would not start before the deadline.
    pub fn next_delay(&self, polls: u32, random: f64, now_ms: f64, deadline_ms: Option<f64>) -> Option<u64> {
        let ceiling = grown(self.initial_delay_ms, self.multiplier, polls).min(self.max_delay_ms).max(0.0);
        let jitter = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
        let delay = (ceiling * (1.0 - 0.1 * jitter)).floor();
        if let Some(deadline) = deadline_ms {
            // A poll must fit before the deadline, with time to answer.
            if (deadline - now_ms).partial_cmp(&delay) != Some(std::cmp::Ordering::Greater) {
                return None;
            }
        }
        Some(delay.max(0.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: Code, http: u16) -> Error {
        Error::api(code, http, "m".into())
    }

    #[test]
    fn a_nan_delay_still_respects_the_deadline() {
        // Found by the policy fuzz target: jitter 0 × an infinite ceiling.
        let unbounded =
            Backoff { max_attempts: 5, initial_delay_ms: f64::INFINITY, multiplier: 1.0, max_delay_ms: f64::INFINITY };
        let late = decide(&unbounded, 1, Error::network("x"), 562_949_953_421_951.0, Some(0.0), 0.0);
        assert!(matches!(late, Decision::Fail(ref e) if e.kind == ErrorKind::Timeout), "{late:?}");
        assert_eq!(decide(&unbounded, 1, Error::network("x"), 0.0, None, 0.0), Decision::RetryAfter(0));
    }

    #[test]
    fn what_is_retried() {
        assert!(is_retryable(&Error::network("x")));
        assert!(is_retryable(&api(Code::UNAVAILABLE, 503)));
        assert!(!is_retryable(&api(Code::RESOURCE_EXHAUSTED, 429)), "429 without a delay");
        let mut told = api(Code::RESOURCE_EXHAUSTED, 429);
        told.retry_delay_ms = Some(1500);
        assert!(is_retryable(&told));
        for code in [
            Code::INVALID_ARGUMENT,
            Code::PERMISSION_DENIED,
            Code::NOT_FOUND,
            Code::UNAUTHENTICATED,
            Code::UNIMPLEMENTED,
            Code::INTERNAL,
        ] {
            assert!(!is_retryable(&api(code, 400)), "{code:?}");
        }
        assert!(!is_retryable(&Error::aborted()));
        assert!(!is_retryable(&Error::timeout(5)));
        assert!(!is_retryable(&Error::invalid_argument("x")));
        assert!(!is_retryable(&Error::bad_response(200, "x".into(), "")));
    }

    #[test]
    fn full_jitter_exponential_backoff() {
        let b = Backoff::RETRY;
        let e = || api(Code::UNAVAILABLE, 503);
        assert_eq!(decide(&b, 1, e(), 0.0, None, 0.0), Decision::RetryAfter(0));
        assert_eq!(decide(&b, 1, e(), 0.0, None, 0.999), Decision::RetryAfter(499));
        assert_eq!(decide(&b, 2, e(), 0.0, None, 0.5), Decision::RetryAfter(500));
        assert_eq!(decide(&b, 4, e(), 0.0, None, 0.5), Decision::RetryAfter(2000));
        assert!(matches!(decide(&b, 5, e(), 0.0, None, 0.5), Decision::Fail(_)), "attempt cap");
        let wide = Backoff { max_attempts: 100, ..b };
        assert_eq!(decide(&wide, 60, e(), 0.0, None, 0.5), Decision::RetryAfter(15_000), "delay cap");
        assert!(matches!(decide(&Backoff::NONE, 1, e(), 0.0, None, 0.5), Decision::Fail(_)));
        assert_eq!(decide(&b, 1, e(), 0.0, None, f64::NAN), Decision::RetryAfter(0));
        assert_eq!(decide(&b, 2, e(), 0.0, None, 7.0), Decision::RetryAfter(1000));
    }

    #[test]
    fn server_delay_wins_and_deadline_caps() {
        let mut told = api(Code::RESOURCE_EXHAUSTED, 429);
        told.retry_delay_ms = Some(3000);
        assert_eq!(decide(&Backoff::RETRY, 1, told.clone(), 1000.0, Some(10_000.0), 0.1), Decision::RetryAfter(3000));
        match decide(&Backoff::RETRY, 1, told, 1000.0, Some(3500.0), 0.1) {
            Decision::Fail(e) => {
                assert_eq!((e.kind, e.code, e.http_status), (ErrorKind::Timeout, Code::DEADLINE_EXCEEDED, Some(429)));
                assert!(e.message.contains("deadline"), "{}", e.message);
            }
            other => panic!("{other:?}"),
        }
        // Longer than the caller's largest delay: fail now with the server's error and its delay.
        let mut hour = api(Code::RESOURCE_EXHAUSTED, 429);
        hour.retry_delay_ms = Some(3_600_000);
        assert_eq!(decide(&Backoff::RETRY, 1, hour.clone(), 0.0, None, 0.1), Decision::Fail(hour.clone()));
        let patient = Backoff { max_delay_ms: 3_600_000.0, ..Backoff::RETRY };
        assert_eq!(decide(&patient, 1, hour.clone(), 0.0, None, 0.1), Decision::RetryAfter(3_600_000));
        // Found by the policy fuzz target: a NaN largest delay let any server delay through.
        let unchecked = Backoff { max_delay_ms: f64::NAN, ..Backoff::RETRY };
        assert_eq!(decide(&unchecked, 1, hour.clone(), 0.0, None, 0.1), Decision::Fail(hour));
        // Past the deadline already: fail even with a zero delay.
        assert!(matches!(decide(&Backoff::RETRY, 1, Error::network("x"), 10.0, Some(10.0), 0.0), Decision::Fail(_)));
    }

    #[test]
    fn backoff_settings_are_checked() {
        assert!(Backoff::RETRY.validate().is_ok());
        for bad in [
            Backoff { max_attempts: 0, ..Backoff::RETRY },
            Backoff { initial_delay_ms: -1.0, ..Backoff::RETRY },
            Backoff { max_delay_ms: f64::INFINITY, ..Backoff::RETRY },
            Backoff { multiplier: 0.5, ..Backoff::RETRY },
            Backoff { multiplier: f64::NAN, ..Backoff::RETRY },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn retry_after() {
        let now = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("120", now), Some(120_000));
        assert_eq!(parse_retry_after(" 0 ", now), Some(0));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(0));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), Some(30_000));
        assert_eq!(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", now), Some(0), "past dates mean now");
        assert_eq!(parse_retry_after("Thu, 03 Dec 2026 13:22:18 GMT", 1_796_304_138_000.0), Some(0));
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn a_zero_initial_delay_stays_zero() {
        // Found by the `policy` fuzz target: 0 × an overflowing power is NaN,
        // and NaN.min(max) is max, so delays jumped to the cap.
        let b = Backoff { max_attempts: 100, initial_delay_ms: 0.0, multiplier: 1e300, max_delay_ms: 30_000.0 };
        assert!(b.validate().is_ok());
        assert_eq!(b.ceiling_ms(99), 0.0);
        let e = api(Code::UNAVAILABLE, 503);
        assert_eq!(decide(&b, 99, e, 0.0, None, 0.5), Decision::RetryAfter(0));
        let p = Polling { initial_delay_ms: 0.0, ..Polling::DEFAULT };
        assert_eq!(p.next_delay(u32::MAX, 0.0, 0.0, None), Some(0));
        assert_eq!(p.next_delay(2000, 0.0, 0.0, None), Some(0));
    }

    #[test]
    fn polling_grows_and_respects_the_deadline() {
        let p = Polling::DEFAULT;
        assert_eq!(p.next_delay(1, 0.0, 0.0, None), Some(500));
        assert_eq!(p.next_delay(2, 0.0, 0.0, None), Some(750));
        assert_eq!(p.next_delay(1, 1.0, 0.0, None), Some(450));
        assert_eq!(p.next_delay(50, 0.0, 0.0, None), Some(10_000));
        assert_eq!(p.next_delay(50, 0.0, 0.0, Some(300.0)), None);
        assert_eq!(p.next_delay(1, 0.0, 0.0, Some(501.0)), Some(500));
        assert_eq!(p.next_delay(1, 0.0, 0.0, Some(500.0)), None);
        assert_eq!(p.next_delay(1, 0.0, 300.0, Some(300.0)), None);
        assert_eq!(p.next_delay(1, 0.0, 400.0, Some(300.0)), None);
    }
}

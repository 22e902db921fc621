//! Operations held in memory. An operation runs for a set time and then
//! completes (with a response, or with an error if it was made to fail);
//! a cancel before then makes it done with `error.code = 1`.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const METADATA_TYPE: &str = "type.googleapis.com/google.maps.routeoptimization.v1.BatchOptimizeToursMetadata";
const RESPONSE_TYPE: &str = "type.googleapis.com/google.maps.routeoptimization.v1.BatchOptimizeToursResponse";

/// How an operation ends if nobody cancels it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Succeed,
    Fail { code: i32, message: String },
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub name: String,
    created: SystemTime,
    run: Duration,
    outcome: Outcome,
    cancelled_at: Option<SystemTime>,
}

impl Operation {
    pub fn new(name: String, created: SystemTime, run: Duration, outcome: Outcome) -> Operation {
        Operation { name, created, run, outcome, cancelled_at: None }
    }

    fn finished_at(&self) -> SystemTime {
        self.created + self.run
    }

    pub fn is_done(&self, now: SystemTime) -> bool {
        self.cancelled_at.is_some() || now >= self.finished_at()
    }

    /// `running`, `succeeded`, `failed` or `cancelled`.
    pub fn state(&self, now: SystemTime) -> &'static str {
        match (self.is_done(now), self.cancelled_at.is_some(), &self.outcome) {
            (false, _, _) => "running",
            (true, true, _) => "cancelled",
            (true, false, Outcome::Succeed) => "succeeded",
            (true, false, Outcome::Fail { .. }) => "failed",
        }
    }

    /// Cancels the operation if it is still running; a finished one keeps its
    /// result (cancellation is best effort). Returns whether it took effect.
    pub fn cancel(&mut self, now: SystemTime) -> bool {
        if self.is_done(now) {
            return false;
        }
        self.cancelled_at = Some(now);
        true
    }

    /// The operation in the REST API's JSON form.
    pub fn to_json(&self, now: SystemTime) -> Value {
        let done = self.is_done(now);
        let updated = if done { self.cancelled_at.unwrap_or_else(|| self.finished_at()) } else { now };
        let mut op = json!({
            "name": self.name,
            "metadata": {
                "@type": METADATA_TYPE,
                "createTime": rfc3339(self.created),
                "updateTime": rfc3339(updated),
            },
        });
        if !done {
            return op;
        }
        op["done"] = json!(true);
        if self.cancelled_at.is_some() {
            op["error"] = json!({ "code": 1, "message": "Operation was cancelled." });
        } else {
            match &self.outcome {
                Outcome::Succeed => op["response"] = json!({ "@type": RESPONSE_TYPE }),
                Outcome::Fail { code, message } => {
                    op["error"] = json!({
                        "code": code,
                        "message": message,
                        "details": failure_details(*code, &self.name),
                    })
                }
            }
        }
        op
    }
}

#[derive(Default)]
pub struct Store {
    pub operations: BTreeMap<String, Operation>,
    next_id: u64,
}

impl Store {
    /// A fresh numeric operation id, shaped like the service's.
    pub fn new_id(&mut self) -> String {
        self.next_id += 1;
        // An odd multiplier makes this a bijection on u64: ids never repeat.
        let mixed = self.next_id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 1;
        format!("{:019}", mixed % 10_000_000_000_000_000_000)
    }

    pub fn insert(&mut self, operation: Operation) {
        self.operations.insert(operation.name.clone(), operation);
    }

    /// A realistic mix for the console, enough to fill a few pages: long
    /// running jobs (something to cancel), a few about to finish, finished,
    /// failed (with ErrorInfo, Help and RetryInfo details) and
    /// already-cancelled ones, of various ages.
    pub fn seed(&mut self, now: SystemTime) {
        let minute = Duration::from_secs(60);
        let fail = |code: i32, message: &str| Some(Outcome::Fail { code, message: message.into() });
        let mut plan: Vec<(u64, u64, Option<Outcome>)> = Vec::new();
        // Running for hours yet: what an operator would cancel.
        for i in 0..14 {
            plan.push((i * 3 % 40, 240 + i * 30, Some(Outcome::Succeed)));
        }
        // Running, about to finish within the next minutes.
        plan.extend([(6, 9, Some(Outcome::Succeed)), (2, 6, Some(Outcome::Succeed)), (15, 20, Some(Outcome::Succeed))]);
        // Finished.
        for i in 0..18 {
            plan.push((20 + i * 17, 2 + i % 7 * 4, Some(Outcome::Succeed)));
        }
        plan.extend([
            (30, 4, fail(3, "Shipment 17 has a time window that ends before it starts.")),
            (70, 20, fail(4, "The solver did not finish within the request's timeout.")),
            (45, 1, fail(8, "Quota exceeded for concurrent optimization jobs in project demo-project.")),
            (130, 2, fail(9, "The input file gs://demo-fleet/jan.json was modified while the job ran.")),
            (250, 7, fail(13, "Internal error while solving the model; retrying the request may succeed.")),
            (400, 3, fail(3, "Vehicle 4 has a start location outside the supported region.")),
        ]);
        // Already cancelled (two minutes after they started).
        for age in [12, 180, 55, 300, 8] {
            plan.push((age, 30, None));
        }
        for (age_min, run_min, outcome) in plan {
            let name = format!("projects/demo-project/locations/global/operations/{}", self.new_id());
            let created = now.checked_sub(minute * age_min as u32).unwrap_or(now);
            let run = minute * run_min as u32;
            let mut operation = Operation::new(name, created, run, outcome.clone().unwrap_or(Outcome::Succeed));
            if outcome.is_none() {
                operation.cancelled_at = Some(created + minute * 2);
            }
            self.insert(operation);
        }
    }
}

/// The detail messages of a failed operation's error, as the service sends
/// them: always an ErrorInfo; Help links for bad input; a RetryInfo delay for
/// quota and availability errors.
fn failure_details(code: i32, name: &str) -> Value {
    let mut details = vec![json!({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "OPTIMIZATION_FAILED",
        "domain": "routeoptimization.googleapis.com",
        "metadata": { "operation": name },
    })];
    match code {
        3 => details.push(json!({
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [
                {
                    "description": "Shipment model reference",
                    "url": "https://developers.google.com/maps/documentation/route-optimization/reference/rest/v1/ShipmentModel",
                },
                {
                    "description": "Time windows",
                    "url": "https://developers.google.com/maps/documentation/route-optimization/reference/rest/v1/ShipmentModel#TimeWindow",
                },
            ],
        })),
        8 | 14 => details.push(json!({
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            "retryDelay": "30s",
        })),
        _ => {}
    }
    Value::Array(details)
}

/// `2026-12-03T13:22:18.123Z`
pub fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_millis(1_796_304_138_123)), "2026-12-03T13:22:18.123Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn lifecycle() {
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut op = Operation::new("operations/a".into(), t0, Duration::from_secs(10), Outcome::Succeed);
        assert!(!op.is_done(t0));
        assert!(op.to_json(t0).get("done").is_none());
        let later = t0 + Duration::from_secs(11);
        assert_eq!(op.to_json(later)["response"]["@type"], RESPONSE_TYPE);
        assert!(!op.cancel(later), "cancelling a finished operation changes nothing");
        assert!(op.to_json(later).get("error").is_none());

        let mut op = Operation::new("operations/b".into(), t0, Duration::from_secs(10), Outcome::Succeed);
        assert!(op.cancel(t0 + Duration::from_secs(1)));
        let json = op.to_json(t0 + Duration::from_secs(2));
        assert_eq!((json["done"].clone(), json["error"]["code"].clone()), (json!(true), json!(1)));
        assert!(json.get("response").is_none());

        let failing =
            Operation::new("operations/c".into(), t0, Duration::ZERO, Outcome::Fail { code: 3, message: "bad".into() });
        let json = failing.to_json(t0);
        assert_eq!(
            (json["error"]["code"].clone(), json["error"]["details"][0]["reason"].clone()),
            (json!(3), json!("OPTIMIZATION_FAILED"))
        );
    }

    #[test]
    fn ids_are_unique_and_seed_has_every_state() {
        let mut store = Store::default();
        let ids: std::collections::BTreeSet<String> = (0..10_000).map(|_| store.new_id()).collect();
        assert_eq!(ids.len(), 10_000);
        let now = SystemTime::now();
        store.seed(now);
        let states: Vec<Value> = store.operations.values().map(|op| op.to_json(now)).collect();
        assert!(states.iter().any(|o| o.get("done").is_none()), "running");
        assert!(states.iter().any(|o| o.get("response").is_some()), "succeeded");
        assert!(states.iter().any(|o| o["error"]["code"] == json!(1)), "cancelled");
        assert!(states.iter().any(|o| o["error"]["code"] == json!(3)), "failed");
        assert!(states.len() >= 40, "enough to page through: {}", states.len());
        let running = states.iter().filter(|o| o.get("done").is_none()).count();
        assert!(running >= 10, "enough to cancel: {running}");
        let detail_types: Vec<&Value> =
            states.iter().filter_map(|o| o["error"]["details"].as_array()).flatten().map(|d| &d["@type"]).collect();
        for kind in ["ErrorInfo", "Help", "RetryInfo"] {
            let full = json!(format!("type.googleapis.com/google.rpc.{kind}"));
            assert!(detail_types.contains(&&full), "a failure carries {kind}");
        }
    }
}

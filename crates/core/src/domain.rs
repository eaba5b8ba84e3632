//! The closed sets of the domain: tiers, platforms, device types, worker types, job kinds and
//! job states. Each has one spelling (`as_str`) shared by the API, the database CHECK constraints
//! and the configuration.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A value outside one of the closed sets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} (expected one of: {expected})")]
pub struct UnknownValue {
    /// Which set was expected.
    pub kind: &'static str,
    /// The allowed spellings.
    pub expected: &'static str,
}

// `$text` is a `tt`, not a `literal`: the `ToSchema` derive does not see through the invisible
// group a `literal` fragment becomes, and described the Rust names (`Free`) instead of the
// spellings (`free`) in the OpenAPI description (found by Schemathesis).
macro_rules! closed_set {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The one spelling used in the API, the database and configuration.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue { kind: $kind, expected: concat!($($text, " "),+) }),
                }
            }
        }
    };
}

closed_set!(
    /// A subscription tier. Queue priority: Premium > Pro > Free.
    Tier, "tier" {
        /// Lowest priority, CPU workers.
        Free => "free",
        /// CPU workers, ahead of Free.
        Pro => "pro",
        /// GPU workers preferred; CPU fallback only when no healthy GPU worker exists.
        Premium => "premium",
    }
);

impl Tier {
    /// Queue priority: a higher number is claimed first.
    pub fn priority(self) -> i32 {
        match self {
            Tier::Free => 0,
            Tier::Pro => 1,
            Tier::Premium => 2,
        }
    }
}

closed_set!(
    /// The target platform of a preview.
    Platform, "platform" {
        /// iPhone and iPad.
        Ios => "ios",
        /// Android phones.
        Android => "android",
    }
);

closed_set!(
    /// A device type allowed to fetch a preview.
    DeviceType, "device type" {
        /// An iPhone.
        Iphone => "iphone",
        /// An iPad.
        Ipad => "ipad",
        /// An Android phone.
        AndroidPhone => "android-phone",
    }
);

impl DeviceType {
    /// The platform this device runs.
    pub fn platform(self) -> Platform {
        match self {
            DeviceType::Iphone | DeviceType::Ipad => Platform::Ios,
            DeviceType::AndroidPhone => Platform::Android,
        }
    }
}

closed_set!(
    /// What kind of machine a worker runs on.
    WorkerType, "worker type" {
        /// A CPU-only worker.
        Cpu => "cpu",
        /// A worker with a GPU; takes only Premium jobs.
        Gpu => "gpu",
    }
);

closed_set!(
    /// What a job produces.
    JobKind, "job kind" {
        /// Layout JSON + snapshots for a device preview.
        Preview => "preview",
        /// AI documentation for one source file.
        AiDocs => "ai_docs",
    }
);

impl Default for JobKind {
    /// A preview: what a callback without a `kind` is about.
    fn default() -> Self {
        JobKind::Preview
    }
}

impl JobKind {
    /// Whether this is [`JobKind::Preview`] (the default, omitted from callback bodies).
    pub fn is_preview(&self) -> bool {
        *self == JobKind::Preview
    }
}

closed_set!(
    /// The state of a job. See [`JobState::can_become`] for the state machine.
    JobState, "job state" {
        /// Waiting in the queue.
        Queued => "queued",
        /// Claimed by a worker that holds a lease on it.
        Running => "running",
        /// Finished; results are stored.
        Succeeded => "succeeded",
        /// Finished without results; `failure_reason` says what the user can do.
        Failed => "failed",
    }
);

impl JobState {
    /// The job state machine, written down once (the SQL guards each transition the same way):
    ///
    /// ```text
    /// queued  --claim-->            running
    /// queued  --reject/expire-->    failed      (never claimed: e.g. queue wait too long)
    /// running --callback ok-->      succeeded
    /// running --callback failed-->  failed
    /// running --lease ran out-->    failed      ("worker lost, please retry")
    /// ```
    ///
    /// `succeeded` and `failed` are final. The backend never moves a job back to `queued`:
    /// retries are the user's decision.
    pub fn can_become(self, next: JobState) -> bool {
        use JobState::*;
        matches!(
            (self, next),
            (Queued, Running) | (Queued, Failed) | (Running, Succeeded) | (Running, Failed)
        )
    }

    /// True for `succeeded` and `failed`.
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for t in Tier::ALL {
            assert_eq!(t.as_str().parse::<Tier>().unwrap(), *t);
        }
        for d in DeviceType::ALL {
            assert_eq!(d.as_str().parse::<DeviceType>().unwrap(), *d);
        }
        assert!("gold".parse::<Tier>().is_err());
        assert_eq!(
            serde_json::to_string(&JobKind::AiDocs).unwrap(),
            "\"ai_docs\""
        );
    }

    #[test]
    fn the_openapi_schemas_list_the_spellings_the_api_uses() {
        fn listed<T: utoipa::PartialSchema>() -> serde_json::Value {
            serde_json::to_value(T::schema()).unwrap()["enum"].clone()
        }
        assert_eq!(
            listed::<Tier>(),
            serde_json::json!(["free", "pro", "premium"])
        );
        assert_eq!(
            listed::<DeviceType>(),
            serde_json::json!(["iphone", "ipad", "android-phone"])
        );
        assert_eq!(
            listed::<JobKind>(),
            serde_json::json!(["preview", "ai_docs"])
        );
        assert_eq!(listed::<WorkerType>(), serde_json::json!(["cpu", "gpu"]));
        assert_eq!(listed::<Platform>(), serde_json::json!(["ios", "android"]));
        assert_eq!(
            listed::<JobState>(),
            serde_json::json!(["queued", "running", "succeeded", "failed"])
        );
    }

    #[test]
    fn tier_priority_orders_premium_first() {
        assert!(Tier::Premium.priority() > Tier::Pro.priority());
        assert!(Tier::Pro.priority() > Tier::Free.priority());
    }

    #[test]
    fn final_states_never_change() {
        for s in JobState::ALL {
            for n in JobState::ALL {
                if s.is_final() {
                    assert!(!s.can_become(*n));
                }
            }
        }
        assert!(!JobState::Running.can_become(JobState::Queued));
    }
}

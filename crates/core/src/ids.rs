//! Validated identifiers. Each type is built only through a checked constructor (`parse`,
//! `new_random`), so a value can safely become part of a storage key, a URL or a SQL parameter.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An identifier that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind}: {reason}")]
pub struct InvalidId {
    /// Which kind of id was expected (`job id`, `screen id`, ...).
    pub kind: &'static str,
    /// Why it was refused (never echoes the input, which may be hostile).
    pub reason: &'static str,
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new, time-ordered (UUIDv7) id.
            pub fn new_random() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            /// Parses the canonical hyphenated lowercase form.
            pub fn parse(s: &str) -> Result<Self, InvalidId> {
                // Only the canonical form, so one id has exactly one spelling in keys and URLs.
                if s.len() != 36 || s.bytes().any(|b| b.is_ascii_uppercase()) {
                    return Err(InvalidId { kind: $kind, reason: "expected a lowercase hyphenated UUID" });
                }
                uuid::Uuid::parse_str(s)
                    .map(Self)
                    .map_err(|_| InvalidId { kind: $kind, reason: "expected a lowercase hyphenated UUID" })
            }

            /// The id as its canonical string.
            pub fn as_string(&self) -> String {
                self.0.hyphenated().to_string()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::parse(s)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .format(Some(utoipa::openapi::SchemaFormat::Custom("uuid".into())))
                    .description(Some(concat!("A ", $kind, ": a lowercase hyphenated UUID.")))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses `[a-z0-9][a-z0-9_-]*` of at most the type's maximum length.
            pub fn parse(s: &str) -> Result<Self, InvalidId> {
                check_slug(s, $max).map_err(|reason| InvalidId { kind: $kind, reason })?;
                Ok(Self(s.to_owned()))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::parse(s)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("A ", $kind, ".")))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

fn check_slug(s: &str, max: usize) -> Result<(), &'static str> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err("must not be empty");
    }
    if bytes.len() > max {
        return Err("too long");
    }
    if !(bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit()) {
        return Err("must start with a lowercase letter or digit");
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_')
    {
        return Err("may contain only a-z, 0-9, '-' and '_'");
    }
    Ok(())
}

uuid_id!(
    /// A job (preview or AI docs).
    JobId, "job id"
);
uuid_id!(
    /// A user account.
    UserId, "user id"
);
uuid_id!(
    /// A project.
    ProjectId, "project id"
);
uuid_id!(
    /// An API key's id (not the key itself).
    ApiKeyId, "api key id"
);
uuid_id!(
    /// A preview session on a device (preview logs are grouped by it).
    SessionId, "session id"
);
uuid_id!(
    /// A task attachment (reserved storage area).
    AttachmentId, "attachment id"
);

slug_id!(
    /// A worker process, e.g. `cpu-build-01-3f2a`.
    WorkerId, "worker id", 64
);
slug_id!(
    /// A compiled screen of one preview job; unique across jobs (the worker prefixes it).
    ScreenId, "screen id", 128
);

impl JobId {
    /// The 32 hex digits without hyphens (the prefix of the job's screen ids).
    pub fn simple(&self) -> String {
        self.0.simple().to_string()
    }
}

impl ScreenId {
    /// The screen id of a compiled screen: `{job simple id}-{device}-{compiler screen id}`,
    /// unique across jobs so no job's objects can overwrite another's. A compiler id (a slug of
    /// at most 64 characters) is kept exactly, so distinct screens of a job never share an id;
    /// anything else is reduced to the id alphabet and suffixed with a hash of the original.
    pub fn for_job(job: &JobId, device: crate::DeviceType, local: &str) -> ScreenId {
        let prefix = format!("{}-{}-", job.simple(), device.as_str());
        if check_slug(local, 128 - prefix.len()).is_ok() {
            return ScreenId(format!("{prefix}{local}"));
        }
        use sha2::Digest;
        let digest = sha2::Sha256::digest(local.as_bytes());
        let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        let reduced: String = local
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let room = 128 - prefix.len() - hash.len() - 1;
        let reduced: String = reduced.trim_matches('-').chars().take(room).collect();
        let reduced = reduced.trim_end_matches('-');
        let id = if reduced.is_empty() {
            format!("{prefix}{hash}")
        } else {
            format!("{prefix}{reduced}-{hash}")
        };
        ScreenId::parse(&id).expect("built from the id alphabet")
    }

    /// True when this screen id belongs to `job`.
    pub fn belongs_to(&self, job: &JobId) -> bool {
        self.0.len() > 33 && self.0.starts_with(&job.simple()) && self.0.as_bytes()[32] == b'-'
    }
}

/// A content-addressed snapshot asset: lowercase hex of a hash of its bytes (16-64 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(String);

impl AssetId {
    /// Parses 16 to 64 lowercase hex digits.
    pub fn parse(s: &str) -> Result<Self, InvalidId> {
        let ok = (16..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !ok {
            return Err(InvalidId {
                kind: "asset id",
                reason: "expected 16-64 lowercase hex digits",
            });
        }
        Ok(Self(s.to_owned()))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for AssetId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AssetId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_ids_round_trip_and_refuse_other_spellings() {
        let id = JobId::new_random();
        assert_eq!(JobId::parse(&id.to_string()).unwrap(), id);
        assert!(JobId::parse(&id.to_string().to_uppercase()).is_err());
        assert!(JobId::parse("../../etc/passwd").is_err());
        assert!(JobId::parse("").is_err());
    }

    #[test]
    fn slug_ids_refuse_path_tricks() {
        for bad in ["", "../x", "a/b", "A", "-x", "x y", "x\0", &"a".repeat(129)] {
            assert!(ScreenId::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(ScreenId::parse("home_screen-2").is_ok());
        assert!(WorkerId::parse(&"w".repeat(65)).is_err());
    }

    #[test]
    fn screen_ids_are_scoped_to_their_job() {
        let job = JobId::new_random();
        let s = ScreenId::for_job(&job, crate::DeviceType::Ipad, "Home/Details Screen");
        assert!(
            s.as_str()
                .starts_with(&format!("{}-ipad-home-details-screen", job.simple()))
        );
        assert!(s.belongs_to(&job));
        assert!(!s.belongs_to(&JobId::new_random()));
        let long = ScreenId::for_job(&job, crate::DeviceType::Iphone, &"x".repeat(300));
        assert!(long.as_str().len() <= 128);
    }

    #[test]
    fn screen_ids_of_distinct_compiler_ids_never_collide() {
        let job = JobId::new_random();
        let id = |local: &str| ScreenId::for_job(&job, crate::DeviceType::Iphone, local);
        assert_ne!(id("home_page"), id("home-page"));
        assert_eq!(
            id("home_page").as_str(),
            format!("{}-iphone-home_page", job.simple())
        );
        let longest = "a".repeat(64);
        assert!(id(&longest).as_str().ends_with(&longest));
        // Strings that are not compiler ids keep a hash of the original.
        assert_ne!(id("Home Page"), id("Home/Page"));
        assert_ne!(id(&"x".repeat(300)), id(&"x".repeat(301)));
        assert!(id("!!!").belongs_to(&job));
    }

    #[test]
    fn asset_ids_are_lowercase_hex() {
        assert!(AssetId::parse("0123456789abcdef").is_ok());
        assert!(AssetId::parse("0123456789ABCDEF").is_err());
        assert!(AssetId::parse("abc").is_err());
        assert!(AssetId::parse("0123456789abcdeg").is_err());
    }

    #[test]
    fn ids_deserialize_only_when_valid() {
        assert!(serde_json::from_str::<ScreenId>("\"ok-1\"").is_ok());
        assert!(serde_json::from_str::<ScreenId>("\"../x\"").is_err());
    }
}

//! The object-storage layout, exactly:
//!
//! ```text
//! previews/{screen_id}/layout.json
//! previews/{screen_id}/assets/{asset_id}.{png|jpg|webp|gif|ttf|otf}
//! ai-docs/{job_id}.json
//! logs/preview/{session_id}/{event_timestamp}.json
//! logs/workers/{worker_id}/{timestamp}.json
//! tasks/attachments/{attachment_id}          (reserved)
//! ```
//!
//! A [`StorageKey`] can only be built from validated ids, so no client-supplied string reaches
//! a key unchecked.

use std::fmt;

use crate::ids::{AssetId, AttachmentId, InvalidId, JobId, ScreenId, SessionId, WorkerId};
use crate::media::MediaType;

/// One object's key in the bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StorageKey {
    /// `previews/{screen_id}/layout.json`
    PreviewLayout(ScreenId),
    /// `previews/{screen_id}/assets/{asset_id}.{ext}`: a snapshot PNG, or an image (or font)
    /// the request carried, content-addressed, with its type's extension.
    PreviewAsset(ScreenId, AssetId, MediaType),
    /// `ai-docs/{job_id}.json`
    AiDoc(JobId),
    /// `logs/preview/{session_id}/{event_timestamp}.json` (timestamp in Unix milliseconds)
    PreviewLog(SessionId, u64),
    /// `logs/workers/{worker_id}/{timestamp}.json` (timestamp in Unix milliseconds)
    WorkerLog(WorkerId, u64),
    /// `tasks/attachments/{attachment_id}` (reserved)
    TaskAttachment(AttachmentId),
}

impl StorageKey {
    /// The object's media type: a preview asset's own, JSON for layouts, AI docs and logs,
    /// else `application/octet-stream`.
    pub fn content_type(&self) -> &'static str {
        match self {
            Self::PreviewAsset(_, _, media) => media.content_type(),
            Self::PreviewLayout(_)
            | Self::AiDoc(_)
            | Self::PreviewLog(..)
            | Self::WorkerLog(..) => "application/json",
            Self::TaskAttachment(_) => "application/octet-stream",
        }
    }

    /// The key as the path string used in the bucket.
    pub fn as_path(&self) -> String {
        self.to_string()
    }

    /// Parses a key string back into a typed key; anything outside the layout is refused.
    pub fn parse(s: &str) -> Result<Self, InvalidId> {
        let bad = InvalidId {
            kind: "storage key",
            reason: "not a key of the storage layout",
        };
        let parts: Vec<&str> = s.split('/').collect();
        let key = match parts.as_slice() {
            ["previews", screen, "layout.json"] => Self::PreviewLayout(ScreenId::parse(screen)?),
            ["previews", screen, "assets", file] => {
                let (asset, ext) = file.rsplit_once('.').ok_or(bad.clone())?;
                let media = MediaType::from_extension(ext).ok_or(bad.clone())?;
                Self::PreviewAsset(ScreenId::parse(screen)?, AssetId::parse(asset)?, media)
            }
            ["ai-docs", file] => Self::AiDoc(JobId::parse(
                file.strip_suffix(".json").ok_or(bad.clone())?,
            )?),
            ["logs", "preview", session, file] => Self::PreviewLog(
                SessionId::parse(session)?,
                parse_millis(file.strip_suffix(".json").ok_or(bad.clone())?).ok_or(bad.clone())?,
            ),
            ["logs", "workers", worker, file] => Self::WorkerLog(
                WorkerId::parse(worker)?,
                parse_millis(file.strip_suffix(".json").ok_or(bad.clone())?).ok_or(bad.clone())?,
            ),
            ["tasks", "attachments", id] => Self::TaskAttachment(AttachmentId::parse(id)?),
            _ => return Err(bad),
        };
        Ok(key)
    }
}

fn parse_millis(s: &str) -> Option<u64> {
    // Digits only: `+1`, ` 1` and `01`-style spellings would give one object two keys.
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PreviewLayout(screen) => write!(f, "previews/{screen}/layout.json"),
            Self::PreviewAsset(screen, asset, media) => {
                write!(f, "previews/{screen}/assets/{asset}.{}", media.extension())
            }
            Self::AiDoc(job) => write!(f, "ai-docs/{job}.json"),
            Self::PreviewLog(session, ts) => write!(f, "logs/preview/{session}/{ts}.json"),
            Self::WorkerLog(worker, ts) => write!(f, "logs/workers/{worker}/{ts}.json"),
            Self::TaskAttachment(id) => write!(f, "tasks/attachments/{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_design_layout_and_round_trip() {
        let screen = ScreenId::parse("job1-home").unwrap();
        let asset = AssetId::parse("00112233445566778899aabbccddeeff").unwrap();
        let job = JobId::new_random();
        let session = SessionId::new_random();
        let worker = WorkerId::parse("cpu-1").unwrap();
        let keys = [
            (
                StorageKey::PreviewLayout(screen.clone()),
                "previews/job1-home/layout.json".to_string(),
            ),
            (
                StorageKey::PreviewAsset(screen.clone(), asset.clone(), MediaType::Png),
                "previews/job1-home/assets/00112233445566778899aabbccddeeff.png".to_string(),
            ),
            (
                StorageKey::PreviewAsset(screen, asset, MediaType::Jpeg),
                "previews/job1-home/assets/00112233445566778899aabbccddeeff.jpg".to_string(),
            ),
            (StorageKey::AiDoc(job), format!("ai-docs/{job}.json")),
            (
                StorageKey::PreviewLog(session, 1700000000123),
                format!("logs/preview/{session}/1700000000123.json"),
            ),
            (
                StorageKey::WorkerLog(worker, 5),
                "logs/workers/cpu-1/5.json".to_string(),
            ),
        ];
        for (key, text) in keys {
            assert_eq!(key.as_path(), text);
            assert_eq!(StorageKey::parse(&text).unwrap(), key);
        }
    }

    #[test]
    fn foreign_or_hostile_keys_are_refused() {
        for bad in [
            "previews/../layout.json",
            "previews/a/b/layout.json",
            "previews/x/assets/zz.png",
            "previews/job1-home/assets/00112233445566778899aabbccddeeff.exe",
            "previews/job1-home/assets/00112233445566778899aabbccddeeff",
            "secrets/x",
            "logs/workers/cpu-1/01.json",
            "logs/workers/cpu-1/+1.json",
            "",
        ] {
            assert!(StorageKey::parse(bad).is_err(), "{bad} must be refused");
        }
    }
}

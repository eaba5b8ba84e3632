//! The worker <-> backend wire contract: the job input the backend stores for the worker, the
//! bodies of `POST /api/v1/worker/callback` and `POST /api/v1/worker/heartbeat`, written once
//! for both sides, with the bounds the backend enforces. The worker builds its bodies with [`CallbackBody::succeeded`] /
//! [`CallbackBody::failed`], which cut every string to these bounds, so a body it sends is
//! never refused for its size.

use serde::{Deserialize, Serialize};

use crate::ids::{JobId, ScreenId, WorkerId};
use crate::media::{MediaError, MediaType};
use crate::{DeviceType, JobKind, Platform, Tier};

/// Largest callback or heartbeat body the backend reads, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Longest failure reason, in bytes.
pub const MAX_REASON_BYTES: usize = 1000;
/// Longest screen name, in characters.
pub const MAX_SCREEN_NAME_CHARS: usize = 200;
/// Most warnings kept per screen.
pub const MAX_WARNINGS_PER_SCREEN: usize = 200;
/// Most bytes of one warning (as JSON text); a longer one is replaced by its code alone.
pub const MAX_WARNING_BYTES: usize = 1024;

/// One file of a project: a project-relative path (`src/App.tsx`) and its content, text as it
/// is or a binary file (an image, a font) in base64. The shape of a preview request's files
/// and of the job input alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextFile {
    /// Project-relative path, `/`-separated.
    pub path: String,
    /// Text content, or the bytes in standard padded base64 when `encoding` is `base64`.
    pub content: String,
    /// How `content` holds the file; absent (utf-8 text) in the JSON of text files.
    #[serde(default, skip_serializing_if = "Encoding::is_utf8")]
    pub encoding: Encoding,
}

/// How a [`TextFile`]'s content holds the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Encoding {
    /// The text itself.
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// The bytes in standard base64 with padding (RFC 4648 section 4).
    #[serde(rename = "base64")]
    Base64,
}

impl Encoding {
    /// Whether this is the text encoding (the default, omitted from JSON).
    pub fn is_utf8(&self) -> bool {
        *self == Encoding::Utf8
    }

    /// Its name in the wire and in the store (`utf-8`, `base64`).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Base64 => "base64",
        }
    }

    /// The encoding named `name` (the inverse of [`Encoding::as_str`]).
    pub fn parse(name: &str) -> Option<Encoding> {
        [Encoding::Utf8, Encoding::Base64]
            .into_iter()
            .find(|e| e.as_str() == name)
    }
}

impl TextFile {
    /// A text file from a path and its content.
    pub fn new(path: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            content: content.into(),
            encoding: Encoding::Utf8,
        }
    }

    /// A binary file from a path and its bytes (stored in base64).
    pub fn binary(path: impl Into<String>, bytes: &[u8]) -> Self {
        use base64::Engine;
        Self {
            path: path.into(),
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
            encoding: Encoding::Base64,
        }
    }

    /// Whether the file is binary (base64).
    pub fn is_binary(&self) -> bool {
        self.encoding == Encoding::Base64
    }

    /// Its size in bytes: the text's, or the decoded bytes' of a binary file (exact for valid
    /// padded base64, which is all the backend accepts).
    pub fn size(&self) -> u64 {
        let n = self.content.len() as u64;
        match self.encoding {
            Encoding::Utf8 => n,
            Encoding::Base64 => {
                let pad = self
                    .content
                    .bytes()
                    .rev()
                    .take(2)
                    .filter(|b| *b == b'=')
                    .count();
                (n / 4 * 3).saturating_sub(pad as u64)
            }
        }
    }

    /// The bytes of a binary file (`None` for a text file or content that is not base64).
    pub fn decoded(&self) -> Option<Vec<u8>> {
        use base64::Engine;
        if !self.is_binary() {
            return None;
        }
        base64::engine::general_purpose::STANDARD
            .decode(&self.content)
            .ok()
    }

    /// Checks a binary file: valid base64 of an accepted type whose name agrees
    /// ([`crate::media::classify`]); its type and bytes. `Ok(None)` for a text file.
    pub fn media(&self) -> Result<Option<(MediaType, Vec<u8>)>, MediaError> {
        if !self.is_binary() {
            return Ok(None);
        }
        let bytes = self.decoded().ok_or_else(|| MediaError::BadBase64 {
            path: self.path.clone(),
        })?;
        Ok(Some((crate::media::classify(&self.path, &bytes)?, bytes)))
    }
}

/// What the backend writes into `preview_jobs.input` and the worker reads back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewInput {
    /// The full file set to compile.
    pub files: Vec<TextFile>,
    /// Screens to compile; all when absent.
    #[serde(default)]
    pub screens: Option<Vec<String>>,
    /// Most snapshot assets the preview may produce (the tier's limit at request time).
    pub max_snapshots: u32,
}

/// A neighbouring file sent with an AI documentation request (context for the model only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextFile {
    /// Project-relative path.
    pub path: String,
    /// Its text.
    pub content: String,
}

/// What the backend writes into `ai_doc_jobs.input` and the worker reads back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiDocsInput {
    /// Project-relative path of the file.
    pub path: String,
    /// Its text.
    pub content: String,
    /// Neighbouring files (context).
    #[serde(default)]
    pub context: Vec<ContextFile>,
    /// `short` or `long`.
    pub style: String,
    /// `doc` or `diff`.
    pub mode: String,
    /// The provider chosen for the tier at request time (`openai`, `local`, `static`).
    pub provider: String,
    /// Its model.
    pub model: String,
    /// Tokens of the file as the model's tokenizer counts them (at request time).
    pub tokens: u32,
    /// Most tokens the job may use (the tier's `ai_docs_max_tokens` at request time).
    pub max_tokens: u32,
}

/// One screen in a callback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackScreen {
    /// Screen id (prefixed with the job's id).
    pub screen_id: ScreenId,
    /// Screen name in the app.
    pub name: String,
    /// Device type it was compiled for.
    pub device_type: DeviceType,
    /// `previews/{screen_id}/layout.json`.
    pub layout_json_key: String,
    /// `previews/{screen_id}/assets/{asset_id}.png` each.
    pub asset_keys: Vec<String>,
    /// Compiler warnings.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<serde_json::Value>,
}

/// `POST /api/v1/worker/callback` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackBody {
    /// The job.
    pub job_id: JobId,
    /// The worker (must equal the signing worker).
    pub worker_id: WorkerId,
    /// The job's kind (a preview when absent, as before AI documentation existed).
    #[serde(default, skip_serializing_if = "JobKind::is_preview")]
    pub kind: JobKind,
    /// `succeeded` or `failed`.
    pub status: CallbackStatus,
    /// Platform of the original request (previews only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Tier of the original request.
    pub tier: Tier,
    /// Screens, when a preview succeeded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screens: Vec<CallbackScreen>,
    /// `ai-docs/{job_id}.json`, when an AI documentation job succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r2_key: Option<String>,
    /// Why it failed, in words the user can act on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// The failure is the worker's (storage, crash), not the project's: it counts against the
    /// worker's health.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub worker_fault: bool,
}

/// How the job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CallbackStatus {
    /// Screens are stored.
    Succeeded,
    /// No screens; see the reason.
    Failed,
}

/// The job a callback is about, as the worker claimed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackJob<'a> {
    /// The job.
    pub job_id: JobId,
    /// The worker that ran it.
    pub worker_id: &'a WorkerId,
    /// The job's kind.
    pub kind: JobKind,
    /// Platform of the request (previews only).
    pub platform: Option<Platform>,
    /// Tier of the request.
    pub tier: Tier,
}

impl CallbackBody {
    /// A success with `screens`, their names and warnings cut to the bounds.
    pub fn succeeded(job: CallbackJob<'_>, mut screens: Vec<CallbackScreen>) -> Self {
        for s in &mut screens {
            if s.name.chars().count() > MAX_SCREEN_NAME_CHARS {
                s.name = s.name.chars().take(MAX_SCREEN_NAME_CHARS).collect();
            }
            s.warnings.truncate(MAX_WARNINGS_PER_SCREEN);
            for w in &mut s.warnings {
                if w.to_string().len() > MAX_WARNING_BYTES {
                    let code = w.get("code").cloned().unwrap_or("warning".into());
                    *w = serde_json::json!({
                        "code": code,
                        "message": "warning text too long to report",
                    });
                }
            }
        }
        Self::new(job, CallbackStatus::Succeeded, screens, None)
    }

    /// A success of an AI documentation job whose document is stored under `key`.
    pub fn docs_stored(job: CallbackJob<'_>, key: String) -> Self {
        Self {
            r2_key: Some(key),
            ..Self::new(job, CallbackStatus::Succeeded, Vec::new(), None)
        }
    }

    /// A failure with `reason`, cut to [`MAX_REASON_BYTES`] at a character boundary.
    pub fn failed(job: CallbackJob<'_>, reason: &str) -> Self {
        let mut reason = reason.trim();
        if reason.is_empty() {
            reason = "the job failed on the worker";
        }
        let mut end = reason.len().min(MAX_REASON_BYTES);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        Self::new(
            job,
            CallbackStatus::Failed,
            Vec::new(),
            Some(reason[..end].to_owned()),
        )
    }

    /// A failure that is the worker's fault (see [`CallbackBody::worker_fault`]).
    pub fn failed_by_worker(job: CallbackJob<'_>, reason: &str) -> Self {
        Self {
            worker_fault: true,
            ..Self::failed(job, reason)
        }
    }

    fn new(
        job: CallbackJob<'_>,
        status: CallbackStatus,
        screens: Vec<CallbackScreen>,
        failure_reason: Option<String>,
    ) -> Self {
        Self {
            job_id: job.job_id,
            worker_id: job.worker_id.clone(),
            kind: job.kind,
            status,
            platform: job.platform,
            tier: job.tier,
            screens,
            r2_key: None,
            failure_reason,
            worker_fault: false,
        }
    }
}

/// `POST /api/v1/worker/heartbeat` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatBody {
    /// The worker (must equal the signing worker).
    pub worker_id: WorkerId,
    /// Worker clock, Unix ms.
    pub sent_at: i64,
    /// CPU load (0 = idle, 1 = all cores busy).
    pub cpu_load: f64,
    /// GPU load when a GPU is present.
    #[serde(default)]
    pub gpu_load: Option<f64>,
    /// Memory in use, bytes.
    pub memory_used_bytes: i64,
    /// Memory in all, bytes.
    pub memory_total_bytes: i64,
    /// Jobs running.
    pub running_jobs: i32,
    /// Queue depth seen.
    pub queue_depth: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(worker: &WorkerId) -> CallbackJob<'_> {
        CallbackJob {
            job_id: JobId::new_random(),
            worker_id: worker,
            kind: JobKind::Preview,
            platform: Some(Platform::Ios),
            tier: Tier::Pro,
        }
    }

    #[test]
    fn binary_files_round_trip_and_text_files_keep_their_old_json() {
        let text = TextFile::new("App.tsx", "x");
        assert_eq!(
            serde_json::to_value(&text).unwrap(),
            serde_json::json!({"path": "App.tsx", "content": "x"})
        );
        let png = b"\x89PNG\r\n\x1a\n rest";
        let bin = TextFile::binary("logo.png", png);
        let json = serde_json::to_string(&bin).unwrap();
        assert!(json.contains("\"encoding\":\"base64\""), "{json}");
        let back: TextFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, bin);
        assert_eq!(back.size(), png.len() as u64);
        assert_eq!(
            back.media().unwrap().unwrap(),
            (MediaType::Png, png.to_vec())
        );
        for n in 0..5 {
            assert_eq!(TextFile::binary("a.png", &vec![7; n]).size(), n as u64);
        }
        let bad = TextFile {
            encoding: Encoding::Base64,
            ..TextFile::new("logo.png", "not base64!")
        };
        assert!(matches!(bad.media(), Err(MediaError::BadBase64 { .. })));
        assert_eq!(text.media(), Ok(None));
        assert!(
            serde_json::from_str::<TextFile>(r#"{"path":"a","content":"b","encoding":"hex"}"#)
                .is_err()
        );
    }

    #[test]
    fn failure_reasons_are_cut_to_the_bound_at_a_character_boundary() {
        let w = WorkerId::parse("cpu-1").unwrap();
        let long = "é".repeat(MAX_REASON_BYTES);
        let body = CallbackBody::failed(job(&w), &long);
        let reason = body.failure_reason.unwrap();
        assert!(reason.len() <= MAX_REASON_BYTES && reason.len() >= MAX_REASON_BYTES - 1);
        assert!(reason.chars().all(|c| c == 'é'));
        let empty = CallbackBody::failed(job(&w), "  ");
        assert!(!empty.failure_reason.unwrap().is_empty());
    }

    #[test]
    fn screen_names_and_warnings_are_bounded() {
        let w = WorkerId::parse("cpu-1").unwrap();
        let j = job(&w);
        let screen = CallbackScreen {
            screen_id: ScreenId::for_job(&j.job_id, DeviceType::Iphone, "home"),
            name: "n".repeat(100_000),
            device_type: DeviceType::Iphone,
            layout_json_key: String::new(),
            asset_keys: Vec::new(),
            warnings: (0..10_000)
                .map(|_| serde_json::json!({"code": "x", "message": "m".repeat(5000)}))
                .collect(),
        };
        let body = CallbackBody::succeeded(j, vec![screen]);
        let bytes = serde_json::to_vec(&body).unwrap();
        assert!(bytes.len() < MAX_BODY_BYTES / 2, "{}", bytes.len());
        assert_eq!(body.screens[0].name.chars().count(), MAX_SCREEN_NAME_CHARS);
        assert_eq!(body.screens[0].warnings.len(), MAX_WARNINGS_PER_SCREEN);
        assert_eq!(body.screens[0].warnings[0]["code"], "x");
    }
}

//! Client events: what the event stream (`GET /api/v1/events`) tells clients about their jobs.
//! One typed value per event, built by whoever ends a job (the backend on a callback or a
//! sweep, the worker when it fails a job itself) and stored as its kind and JSON payload.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::ids::{JobId, ProjectId};
use crate::{DeviceType, JobKind};

/// A screen as a `preview.ready` event lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventScreen {
    /// Screen id.
    pub screen_id: String,
    /// Screen name.
    pub name: String,
    /// Device type it was compiled for.
    pub device_type: DeviceType,
}

/// One client event.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// `preview.ready`: the preview's screens are stored.
    PreviewReady {
        /// The job.
        job_id: JobId,
        /// Its project.
        project_id: ProjectId,
        /// Where its status is read.
        status_url: String,
        /// Its screens.
        screens: Vec<EventScreen>,
    },
    /// `ai_docs.ready`: the document is stored.
    AiDocsReady {
        /// The job.
        job_id: JobId,
        /// Its project.
        project_id: ProjectId,
        /// Where its status and document are read.
        status_url: String,
        /// The file documented.
        path: String,
    },
    /// `preview.failed` or `ai_docs.failed`.
    Failed {
        /// The job's kind.
        kind: JobKind,
        /// The job.
        job_id: JobId,
        /// Its project.
        project_id: ProjectId,
        /// Where its status is read.
        status_url: String,
        /// Why, in words the user can act on.
        failure_reason: String,
    },
}

/// Where the status of a job of `kind` is read, under the backend's `public_url`.
pub fn status_url(public_url: &str, kind: JobKind, job: JobId) -> String {
    let base = public_url.trim_end_matches('/');
    match kind {
        JobKind::Preview => format!("{base}/api/v1/previews/{job}"),
        JobKind::AiDocs => format!("{base}/api/v1/ai-docs/{job}"),
    }
}

impl ClientEvent {
    /// `preview.ready` for `job`.
    pub fn preview_ready(
        public_url: &str,
        job_id: JobId,
        project_id: ProjectId,
        screens: Vec<EventScreen>,
    ) -> Self {
        Self::PreviewReady {
            job_id,
            project_id,
            status_url: status_url(public_url, JobKind::Preview, job_id),
            screens,
        }
    }

    /// `ai_docs.ready` for `job`, which documented `path`.
    pub fn ai_docs_ready(
        public_url: &str,
        job_id: JobId,
        project_id: ProjectId,
        path: &str,
    ) -> Self {
        Self::AiDocsReady {
            job_id,
            project_id,
            status_url: status_url(public_url, JobKind::AiDocs, job_id),
            path: path.to_owned(),
        }
    }

    /// The failure event of a job of `kind`.
    pub fn failed(
        public_url: &str,
        kind: JobKind,
        job_id: JobId,
        project_id: ProjectId,
        failure_reason: impl Into<String>,
    ) -> Self {
        Self::Failed {
            kind,
            job_id,
            project_id,
            status_url: status_url(public_url, kind, job_id),
            failure_reason: failure_reason.into(),
        }
    }

    /// The event's kind on the stream (`event:` line), one of the `events.kind` values.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::PreviewReady { .. } => "preview.ready",
            Self::AiDocsReady { .. } => "ai_docs.ready",
            Self::Failed {
                kind: JobKind::Preview,
                ..
            } => "preview.failed",
            Self::Failed {
                kind: JobKind::AiDocs,
                ..
            } => "ai_docs.failed",
        }
    }

    /// The job it is about.
    pub fn job_id(&self) -> JobId {
        match self {
            Self::PreviewReady { job_id, .. }
            | Self::AiDocsReady { job_id, .. }
            | Self::Failed { job_id, .. } => *job_id,
        }
    }

    /// The project whose members hear it.
    pub fn project_id(&self) -> ProjectId {
        match self {
            Self::PreviewReady { project_id, .. }
            | Self::AiDocsReady { project_id, .. }
            | Self::Failed { project_id, .. } => *project_id,
        }
    }

    /// The JSON payload (`data:` line).
    pub fn payload(&self) -> String {
        match self {
            Self::PreviewReady {
                job_id,
                project_id,
                status_url,
                screens,
            } => json!({
                "job_id": job_id,
                "project_id": project_id,
                "status": "succeeded",
                "status_url": status_url,
                "screens": screens,
            }),
            Self::AiDocsReady {
                job_id,
                project_id,
                status_url,
                path,
            } => json!({
                "job_id": job_id,
                "project_id": project_id,
                "status": "succeeded",
                "status_url": status_url,
                "path": path,
            }),
            Self::Failed {
                job_id,
                project_id,
                status_url,
                failure_reason,
                ..
            } => json!({
                "job_id": job_id,
                "project_id": project_id,
                "status": "failed",
                "status_url": status_url,
                "failure_reason": failure_reason,
            }),
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_their_kind_and_payload() {
        let (job, project) = (JobId::new_random(), ProjectId::new_random());
        let ready = ClientEvent::preview_ready(
            "http://h/",
            job,
            project,
            vec![EventScreen {
                screen_id: "s".into(),
                name: "Home".into(),
                device_type: DeviceType::Iphone,
            }],
        );
        assert_eq!(ready.kind(), "preview.ready");
        let v: serde_json::Value = serde_json::from_str(&ready.payload()).unwrap();
        assert_eq!(v["status_url"], format!("http://h/api/v1/previews/{job}"));
        assert_eq!(v["screens"][0]["device_type"], "iphone");
        let failed = ClientEvent::failed("http://h", JobKind::AiDocs, job, project, "why");
        assert_eq!(failed.kind(), "ai_docs.failed");
        assert_eq!(failed.job_id(), job);
        assert_eq!(failed.project_id(), project);
        let v: serde_json::Value = serde_json::from_str(&failed.payload()).unwrap();
        assert_eq!(v["failure_reason"], "why");
        assert_eq!(v["status"], "failed");
    }
}

//! The store conformance suite: every test runs once against PostgreSQL and once against
//! SQLite, each time on a fresh database, and must behave the same on both. One module per
//! area of the store; the shared fixtures are here.

use hivesync_core::client_events::ClientEvent;
use hivesync_core::ids::WorkerId;
use hivesync_core::wire::TextFile;
use hivesync_core::{DeviceType, JobKind, JobState, Platform, Tier, WorkerType};
use hivesync_store::accounts::Role;
use hivesync_store::admission::{FileChanges, Quota, Refused};
use hivesync_store::audit::{Burst, SecurityEvent};
use hivesync_store::preview_logs::{LogLimits, LogRefusal};
use hivesync_store::queue::{
    CallbackRefusal, EXPIRED_IN_QUEUE, NewPreviewJob, Outcome, Routing, ScreenRecord,
    WORKER_DISABLED, WORKER_LOST,
};
use hivesync_store::testing::TestDb;
use hivesync_store::workers::{Heartbeat, Registration};
use hivesync_store::{Driver, Store, StoreError};

/// Runs `$body(store)` on both databases as two tests, `postgres` and `sqlite`.
macro_rules! conformance {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn postgres() {
                let db = TestDb::new(Driver::Postgres).await;
                ($body)(db.store.clone()).await;
            }
            #[tokio::test]
            async fn sqlite() {
                let db = TestDb::new(Driver::Sqlite).await;
                ($body)(db.store.clone()).await;
            }
        }
    };
}

const T0: i64 = 1_700_000_000_000;
const ROUTING: Routing = Routing {
    prefer_gpu_for_premium: true,
    gpu_fallback_wait_ms: 0,
    heartbeat_timeout_ms: 120_000,
};

async fn user_and_project(
    store: &Store,
    tier: Tier,
) -> (
    hivesync_store::accounts::User,
    hivesync_store::accounts::Project,
) {
    let email = format!("{}@example.com", uuid_like());
    let user = store.create_user(&email, tier, T0).await.unwrap();
    let project = store
        .create_project(user.id, "Demo", true, T0)
        .await
        .unwrap();
    (user, project)
}

fn uuid_like() -> String {
    hivesync_core::ids::JobId::new_random().to_string()
}

fn preview(
    project: &hivesync_store::accounts::Project,
    user: &hivesync_store::accounts::User,
) -> NewPreviewJob {
    NewPreviewJob {
        project_id: project.id,
        user_id: user.id,
        tier: user.tier,
        platform: Platform::Ios,
        device_types: vec![DeviceType::Iphone, DeviceType::Ipad],
        safe_mode: false,
        request_bytes: 10,
        file_count: 1,
        input: "{}".into(),
        expires_at: T0 + 3_600_000,
    }
}

/// An idle worker's heartbeat sent at `t`.
fn beat(t: i64) -> Heartbeat {
    Heartbeat {
        sent_at: t,
        cpu_load: 0.0,
        gpu_load: None,
        memory_used_bytes: 0,
        memory_total_bytes: 0,
        running_jobs: 0,
        queue_depth: 1,
    }
}

/// The event a callback ending `job` successfully raises.
fn ready(job: &hivesync_store::queue::Job) -> ClientEvent {
    ClientEvent::preview_ready("http://h", job.id, job.project_id, Vec::new())
}

/// The event of `job` failing with `reason`.
fn failed(job: &hivesync_store::queue::Job, reason: &str) -> ClientEvent {
    ClientEvent::failed("http://h", job.kind, job.id, job.project_id, reason)
}

async fn worker(store: &Store, id: &str, t: WorkerType, now: i64) -> WorkerId {
    let id = WorkerId::parse(id).unwrap();
    store
        .register_worker(
            &Registration {
                id: &id,
                worker_type: t,
                capacity: 2,
                version: "test",
                hostname: "host",
            },
            now,
        )
        .await
        .unwrap();
    id
}

const BURST: Burst = Burst {
    window_ms: 60_000,
    detailed: 3,
};

fn files(n: usize) -> Vec<TextFile> {
    (0..n)
        .map(|i| TextFile::new(format!("src/f{i}.ts"), format!("export const x{i} = {i};")))
        .collect()
}

const QUOTA: Quota = Quota {
    per_hour: 6,
    parallel: 4,
};

async fn submit(
    store: &Store,
    project: &hivesync_store::accounts::Project,
    user: &hivesync_store::accounts::User,
    changed: &[TextFile],
    max_files: usize,
    now: i64,
) -> Result<hivesync_core::ids::JobId, Refused> {
    let input = |set: Vec<TextFile>| format!("{{\"files\":{}}}", set.len());
    store
        .submit_preview(
            &preview(project, user),
            &FileChanges {
                replace: false,
                changed,
                deleted: &[],
                max_files,
                max_assets: 2,
                max_asset_bytes: 100,
            },
            &QUOTA,
            &input,
            now,
        )
        .await
        .unwrap()
}

const LOG_LIMITS: LogLimits = LogLimits {
    session_bytes: 1_000,
    token_bytes: 1_500,
    batches_per_minute: 5,
};

mod accounts;
mod admission;
mod audit;
mod events;
mod files;
mod health;
mod preview_logs;
mod queue;
mod schema;
mod session_tokens;
mod workers;

//! The store conformance suite: every test runs once against PostgreSQL and once against
//! SQLite, each time on a fresh database, and must behave the same on both.

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

conformance!(migrations_are_idempotent, |store: Store| async move {
    assert!(
        store.migrate().await.unwrap().is_empty(),
        "a second run applies nothing"
    );
    store.ping().await.unwrap();
});

conformance!(users_projects_and_members, |store: Store| async move {
    let (user, project) = user_and_project(&store, Tier::Pro).await;
    assert_eq!(store.user(user.id).await.unwrap().unwrap(), user);
    assert_eq!(store.project(project.id).await.unwrap().unwrap(), project);
    assert_eq!(
        store.member_role(project.id, user.id).await.unwrap(),
        Some(Role::Owner)
    );
    let other = store
        .create_user("viewer@example.com", Tier::Free, T0)
        .await
        .unwrap();
    assert_eq!(store.member_role(project.id, other.id).await.unwrap(), None);
    store
        .add_member(project.id, other.id, Role::Viewer, T0)
        .await
        .unwrap();
    assert_eq!(
        store.member_role(project.id, other.id).await.unwrap(),
        Some(Role::Viewer)
    );
    assert!(store.set_user_tier(other.id, Tier::Premium).await.unwrap());
    assert_eq!(
        store.user(other.id).await.unwrap().unwrap().tier,
        Tier::Premium
    );
});

conformance!(
    duplicate_email_and_dangling_owner_are_refused,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Free).await;
        let e = store
            .create_user(&user.email, Tier::Free, T0)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Constraint(_)), "{e:?}");
        let ghost = hivesync_core::ids::UserId::new_random();
        let e = store
            .create_project(ghost, "x", true, T0)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Constraint(_)), "{e:?}");
    }
);

conformance!(
    api_keys_authenticate_until_revoked,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Pro).await;
        let key = store
            .create_api_key(user.id, "ci", false, T0)
            .await
            .unwrap();
        let owner = store
            .authenticate_api_key(key.plaintext.expose(), T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(owner.user, user);
        assert!(!owner.is_admin);
        assert!(
            store
                .authenticate_api_key("hsk_wrong", T0)
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.authenticate_api_key("", T0).await.unwrap().is_none());
        assert!(store.revoke_api_key(key.id, T0).await.unwrap());
        assert!(
            store
                .authenticate_api_key(key.plaintext.expose(), T0)
                .await
                .unwrap()
                .is_none()
        );
    }
);

conformance!(
    session_token_cleanup_deletes_expired_and_used_in_batches,
    |store: Store| async move {
        let (user, _) = user_and_project(&store, Tier::Free).await;
        for i in 0..5 {
            store
                .create_session_token(user.id, &format!("expired-{i}"), T0, T0 + 1_000)
                .await
                .unwrap();
        }
        store
            .create_session_token(user.id, "used", T0, T0 + 120_000)
            .await
            .unwrap();
        store
            .create_session_token(user.id, "fresh", T0, T0 + 120_000)
            .await
            .unwrap();
        let now = T0 + 60_000;
        assert_eq!(
            store.use_session_token("used", now).await.unwrap(),
            Some(user.id)
        );
        assert_eq!(
            store.use_session_token("used", now).await.unwrap(),
            None,
            "one-time"
        );
        assert_eq!(
            store.use_session_token("expired-0", now).await.unwrap(),
            None,
            "expired"
        );
        assert_eq!(store.delete_stale_session_tokens(now, 4).await.unwrap(), 4);
        assert_eq!(store.delete_stale_session_tokens(now, 4).await.unwrap(), 2);
        assert_eq!(store.delete_stale_session_tokens(now, 4).await.unwrap(), 0);
        assert_eq!(
            store.count_session_tokens().await.unwrap(),
            1,
            "only the fresh token is left"
        );
    }
);

conformance!(
    workers_register_heartbeat_and_disable,
    |store: Store| async move {
        let id = worker(&store, "gpu-1", WorkerType::Gpu, T0).await;
        let w = store.worker(&id).await.unwrap().unwrap();
        assert_eq!(w.worker_type, WorkerType::Gpu);
        assert!(w.active);
        assert!(store.healthy_gpu_worker_exists(T0 - 1).await.unwrap());
        assert!(
            !store.healthy_gpu_worker_exists(T0 + 1).await.unwrap(),
            "silent since registration"
        );
        let hb = Heartbeat {
            sent_at: T0 + 10,
            cpu_load: 0.5,
            gpu_load: Some(0.25),
            memory_used_bytes: 1 << 30,
            memory_total_bytes: 4 << 30,
            running_jobs: 1,
            queue_depth: 3,
        };
        assert!(store.record_heartbeat(&id, &hb, T0 + 15_000).await.unwrap());
        assert_eq!(
            store.recent_heartbeats(&id, 10).await.unwrap(),
            vec![hb.clone()]
        );
        assert!(store.healthy_gpu_worker_exists(T0 + 1).await.unwrap());
        let ghost = WorkerId::parse("ghost").unwrap();
        assert!(!store.record_heartbeat(&ghost, &hb, T0).await.unwrap());
        assert!(store.set_worker_active(&id, false).await.unwrap());
        assert!(
            !store.healthy_gpu_worker_exists(T0).await.unwrap(),
            "disabled is not healthy"
        );
        // Re-registering keeps an operator's decision.
        worker(&store, "gpu-1", WorkerType::Gpu, T0 + 20_000).await;
        assert!(!store.worker(&id).await.unwrap().unwrap().active);
    }
);

conformance!(
    claim_orders_premium_pro_free_then_fifo,
    |store: Store| async move {
        let (free, fp) = user_and_project(&store, Tier::Free).await;
        let (pro, pp) = user_and_project(&store, Tier::Pro).await;
        let (premium, qp) = user_and_project(&store, Tier::Premium).await;
        let f1 = store
            .enqueue_preview(&preview(&fp, &free), T0)
            .await
            .unwrap();
        let p1 = store
            .enqueue_preview(&preview(&pp, &pro), T0 + 1)
            .await
            .unwrap();
        let p2 = store
            .enqueue_preview(&preview(&pp, &pro), T0 + 2)
            .await
            .unwrap();
        let q1 = store
            .enqueue_preview(&preview(&qp, &premium), T0 + 3)
            .await
            .unwrap();
        let cpu = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let mut order = Vec::new();
        while let Some(c) = store
            .claim(&cpu, WorkerType::Cpu, &ROUTING, 30_000, T0 + 10)
            .await
            .unwrap()
        {
            assert_eq!(c.job.state, JobState::Running);
            assert_eq!(c.job.worker_id.as_ref(), Some(&cpu));
            assert_eq!(c.job.lease_expires_at, Some(T0 + 10 + 30_000));
            assert_eq!(
                c.preview.as_ref().unwrap().device_types,
                vec![DeviceType::Iphone, DeviceType::Ipad]
            );
            order.push(c.job.id);
        }
        // No GPU worker exists, so the Premium job falls back to CPU and still goes first.
        assert_eq!(order, vec![q1, p1, p2, f1]);
    }
);

conformance!(
    gpu_workers_take_only_premium_and_cpu_falls_back_with_a_routing_event,
    |store: Store| async move {
        let (pro, pp) = user_and_project(&store, Tier::Pro).await;
        let (premium, qp) = user_and_project(&store, Tier::Premium).await;
        let pro_job = store
            .enqueue_preview(&preview(&pp, &pro), T0)
            .await
            .unwrap();
        let q1 = store
            .enqueue_preview(&preview(&qp, &premium), T0 + 1)
            .await
            .unwrap();
        let q2 = store
            .enqueue_preview(&preview(&qp, &premium), T0 + 2)
            .await
            .unwrap();
        let gpu = worker(&store, "gpu-1", WorkerType::Gpu, T0).await;
        let cpu = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let now = T0 + 1_000;
        // A healthy GPU worker exists: the CPU worker passes over Premium work.
        let c = store
            .claim(&cpu, WorkerType::Cpu, &ROUTING, 30_000, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.job.id, pro_job);
        assert!(!c.gpu_fallback);
        assert!(
            store
                .claim(&cpu, WorkerType::Cpu, &ROUTING, 30_000, now)
                .await
                .unwrap()
                .is_none()
        );
        let g = store
            .claim(&gpu, WorkerType::Gpu, &ROUTING, 30_000, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(g.job.id, q1);
        assert!(store.routing_events(None, 10).await.unwrap().is_empty());
        // The GPU worker goes silent past the heartbeat timeout: the CPU worker (still heard
        // from) may take Premium.
        let later = T0 + 200_000;
        store
            .record_heartbeat(&cpu, &beat(later), later)
            .await
            .unwrap();
        let c = store
            .claim(&cpu, WorkerType::Cpu, &ROUTING, 30_000, later)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.job.id, q2);
        assert!(c.gpu_fallback);
        let events = store.routing_events(Some(q2), 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].worker_id, "cpu-1");
        assert_eq!(events[0].tier, "premium");
        // A GPU worker never takes non-Premium work.
        store
            .enqueue_preview(&preview(&pp, &pro), later)
            .await
            .unwrap();
        assert!(
            store
                .claim(&gpu, WorkerType::Gpu, &ROUTING, 30_000, later)
                .await
                .unwrap()
                .is_none()
        );
    }
);

conformance!(
    fallback_waits_the_configured_time,
    |store: Store| async move {
        let (premium, qp) = user_and_project(&store, Tier::Premium).await;
        let q = store
            .enqueue_preview(&preview(&qp, &premium), T0)
            .await
            .unwrap();
        let cpu = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let routing = Routing {
            gpu_fallback_wait_ms: 5_000,
            ..ROUTING
        };
        assert!(
            store
                .claim(&cpu, WorkerType::Cpu, &routing, 30_000, T0 + 4_999)
                .await
                .unwrap()
                .is_none()
        );
        let c = store
            .claim(&cpu, WorkerType::Cpu, &routing, 30_000, T0 + 5_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.job.id, q);
        assert!(c.gpu_fallback);
    }
);

conformance!(
    transitions_are_single_winner_and_guarded,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let id = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let a = worker(&store, "cpu-a", WorkerType::Cpu, T0).await;
        let b = worker(&store, "cpu-b", WorkerType::Cpu, T0).await;
        let c = store
            .claim(&a, WorkerType::Cpu, &ROUTING, 30_000, T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.job.id, id);
        assert!(
            store
                .claim(&b, WorkerType::Cpu, &ROUTING, 30_000, T0)
                .await
                .unwrap()
                .is_none()
        );
        // Another worker can neither extend, complete nor fail it.
        assert!(
            !store
                .extend_lease(id, &b, T0 + 60_000, T0 + 1)
                .await
                .unwrap()
        );
        assert!(
            !store
                .fail_job(&c.job, &b, "nope", &failed(&c.job, "nope"), T0 + 1)
                .await
                .unwrap()
        );
        let screen = ScreenRecord {
            screen_id: "s1".into(),
            device_type: DeviceType::Iphone,
            name: "Home".into(),
            layout_key: "previews/s1/layout.json".into(),
            asset_keys: vec![],
            warnings: serde_json::json!([]),
        };
        let done = Outcome::Succeeded(vec![screen.clone()]);
        let refused = store
            .apply_callback(&c.job, &b, "wh-b", &done, &ready(&c.job), T0 + 1)
            .await
            .unwrap();
        assert_eq!(refused, Err(CallbackRefusal::NotRunning));
        assert!(
            store.preview_screens(id).await.unwrap().is_empty(),
            "a refused completion writes nothing"
        );
        assert!(
            store
                .extend_lease(id, &a, T0 + 60_000, T0 + 1)
                .await
                .unwrap()
        );
        let accepted = store
            .apply_callback(&c.job, &a, "wh-a", &done, &ready(&c.job), T0 + 2)
            .await
            .unwrap();
        assert!(accepted.is_ok());
        assert_eq!(
            store.preview_screens(id).await.unwrap(),
            vec![screen.clone()]
        );
        let job = store.job(id).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Succeeded);
        assert_eq!(job.kind, JobKind::Preview);
        assert_eq!(job.finished_at, Some(T0 + 2));
        // Final is final: a late failure or second completion changes nothing.
        assert!(
            !store
                .fail_job(&c.job, &a, "late", &failed(&c.job, "late"), T0 + 3)
                .await
                .unwrap()
        );
        let again = store
            .apply_callback(&c.job, &a, "wh-a2", &done, &ready(&c.job), T0 + 3)
            .await
            .unwrap();
        assert_eq!(again, Err(CallbackRefusal::NotRunning));
        assert_eq!(
            store.job(id).await.unwrap().unwrap().state,
            JobState::Succeeded
        );
    }
);

conformance!(
    lost_workers_and_stale_queue_entries_are_swept_to_failed,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let running = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        store
            .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0)
            .await
            .unwrap()
            .unwrap();
        let mut short = preview(&project, &user);
        short.expires_at = T0 + 10_000;
        let stale = store.enqueue_preview(&short, T0).await.unwrap();
        assert!(
            store
                .sweep_jobs(T0 + 5_000, "http://h")
                .await
                .unwrap()
                .is_empty(),
            "nothing is due yet"
        );
        let swept = store.sweep_jobs(T0 + 31_000, "http://h").await.unwrap();
        assert_eq!(swept.len(), 2);
        let job = store.job(running).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.failure_reason.as_deref(), Some(WORKER_LOST));
        let job = store.job(stale).await.unwrap().unwrap();
        assert_eq!(job.failure_reason.as_deref(), Some(EXPIRED_IN_QUEUE));
        // Each failed job's event was raised with it.
        let events = store.events_after(&[project.id], 0, 10).await.unwrap();
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.kind == "preview.failed"));
        assert!(
            events
                .iter()
                .any(|e| e.job_id == running.to_string() && e.payload.contains(WORKER_LOST))
        );
        // The lost worker's late extension is refused.
        assert!(
            !store
                .extend_lease(running, &w, T0 + 90_000, T0 + 32_000)
                .await
                .unwrap()
        );
    }
);

conformance!(
    schema_constraints_refuse_invalid_rows,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let mut bad = preview(&project, &user);
        bad.device_types.clear();
        assert!(matches!(
            store.enqueue_preview(&bad, T0).await,
            Err(StoreError::Constraint(_))
        ));
        // Raw statements the API would never issue are refused by the schema itself.
        let raw = |sql: &'static str| {
            let store = store.clone();
            async move { store.execute_unchecked_for_tests(sql).await }
        };
        assert!(
            raw("INSERT INTO users (id, email, tier, created_at) VALUES ('u', 'x@y.z', 'gold', 0)")
                .await
                .is_err()
        );
        assert!(raw("INSERT INTO worker_nodes (id, worker_type, capacity, version, hostname, registered_at) VALUES ('w', 'tpu', 1, 'v', 'h', 0)").await.is_err());
        assert!(
            store
                .job_insert_for_tests(project.id, user.id, "free", 0, "finished", None)
                .await
                .is_err(),
            "unknown state"
        );
        assert!(
            store
                .job_insert_for_tests(project.id, user.id, "free", 2, "queued", None)
                .await
                .is_err(),
            "priority must follow tier"
        );
        assert!(
            store
                .job_insert_for_tests(project.id, user.id, "free", 0, "running", None)
                .await
                .is_err(),
            "running needs a worker"
        );
        assert!(
            store
                .job_insert_for_tests(project.id, user.id, "free", 0, "failed", None)
                .await
                .is_err(),
            "failed needs a reason"
        );
        assert!(
            store
                .job_insert_for_tests(project.id, user.id, "free", 0, "failed", Some("why"))
                .await
                .is_ok()
        );
    }
);

const BURST: Burst = Burst {
    window_ms: 60_000,
    detailed: 3,
};

conformance!(security_events_are_recorded, |store: Store| async move {
    let e = SecurityEvent::new(
        "callback_bad_signature",
        Some("cpu-1".into()),
        None,
        Some("127.0.0.1".into()),
        "signature mismatch",
        T0,
    );
    assert!(store.record_security_event(&e, &BURST).await.unwrap());
    assert_eq!(store.security_events(10).await.unwrap(), vec![e]);
});

conformance!(
    a_burst_of_refusals_is_counted_on_one_row_and_old_rows_are_pruned,
    |store: Store| async move {
        let refusal = |addr: &str, t: i64| {
            SecurityEvent::new(
                "api_key_invalid",
                None,
                None,
                Some(addr.into()),
                "unknown key",
                t,
            )
        };
        // 1,000 refusals from one address, 10 ms apart: three detailed rows, one counting row.
        for i in 0..1_000 {
            store
                .record_security_event(&refusal("10.0.0.1", T0 + i * 10), &BURST)
                .await
                .unwrap();
        }
        // Another source and a refusal without an address are their own bursts.
        store
            .record_security_event(&refusal("10.0.0.2", T0), &BURST)
            .await
            .unwrap();
        let no_addr = SecurityEvent::new("token_missing", None, None, None, "no token", T0);
        store.record_security_event(&no_addr, &BURST).await.unwrap();
        let rows = store.security_events(100).await.unwrap();
        let burst: Vec<_> = rows
            .iter()
            .filter(|e| e.remote_addr.as_deref() == Some("10.0.0.1"))
            .collect();
        assert_eq!(burst.len(), 4, "{burst:?}");
        assert_eq!(
            burst.iter().map(|e| e.count).sum::<i64>(),
            1_000,
            "every refusal counted"
        );
        let counting = burst.iter().find(|e| e.count > 1).unwrap();
        assert_eq!(counting.last_at, Some(T0 + 9_990));
        assert_eq!(counting.detail, hivesync_store::audit::BURST_DETAIL);
        assert_eq!(rows.len(), 6);
        // A quiet window later, the next refusal is detailed again.
        let later = T0 + 9_990 + 61_000;
        assert!(
            store
                .record_security_event(&refusal("10.0.0.1", later), &BURST)
                .await
                .unwrap()
        );
        // Retention: rows whose last refusal is older go; the counting row's last_at counts.
        assert_eq!(store.prune_security_events(T0 + 5_000).await.unwrap(), 5);
        let left = store.security_events(100).await.unwrap();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.iter().any(|e| e.count == 997));
    }
);

conformance!(heartbeats_are_pruned_by_age, |store: Store| async move {
    let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
    for t in [T0, T0 + 1_000, T0 + 2_000] {
        assert!(store.record_heartbeat(&w, &beat(t), t).await.unwrap());
    }
    assert_eq!(store.prune_heartbeats(T0 + 1_500).await.unwrap(), 2);
    assert_eq!(store.recent_heartbeats(&w, 10).await.unwrap().len(), 1);
    let node = store.worker(&w).await.unwrap().unwrap();
    assert_eq!(node.last_heartbeat_at, Some(T0 + 2_000));
});

fn files(n: usize) -> Vec<TextFile> {
    (0..n)
        .map(|i| TextFile {
            path: format!("src/f{i}.ts"),
            content: format!("export const x{i} = {i};"),
        })
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
            },
            &QUOTA,
            &input,
            now,
        )
        .await
        .unwrap()
}

conformance!(
    concurrent_submissions_of_one_user_never_pass_the_quota,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let tasks: Vec<_> = (0..12)
            .map(|i| {
                let (store, user, project) = (store.clone(), user.clone(), project.clone());
                tokio::spawn(async move {
                    submit(
                        &store,
                        &project,
                        &user,
                        &files(1 + i % 3),
                        100,
                        T0 + i as i64,
                    )
                    .await
                })
            })
            .collect();
        let mut accepted = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => accepted += 1,
                Err(r) => assert_eq!(r, Refused::Parallel),
            }
        }
        assert_eq!(accepted, 4, "exactly the parallel limit is admitted");
        assert_eq!(
            store
                .count_active_jobs(user.id, JobKind::Preview)
                .await
                .unwrap(),
            4
        );
        // The job's input is built from the resulting file set.
        let id = submit(&store, &project, &user, &files(1), 100, T0 + 20).await;
        assert_eq!(id, Err(Refused::Parallel));
    }
);

conformance!(
    the_hourly_quota_holds_under_concurrency_and_says_when_a_slot_frees,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        // Finish every admitted job at once, so only the hourly limit (6) applies.
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let mut accepted = 0;
        for round in 0..3 {
            let tasks: Vec<_> = (0..4)
                .map(|i| {
                    let (store, user, project) = (store.clone(), user.clone(), project.clone());
                    tokio::spawn(async move {
                        let now = T0 + round * 1_000 + i;
                        submit(&store, &project, &user, &files(1), 100, now).await
                    })
                })
                .collect();
            for t in tasks {
                match t.await.unwrap() {
                    Ok(_) => accepted += 1,
                    Err(Refused::Hourly { retry_after_secs }) => {
                        assert!(
                            (3_590..=3_600).contains(&retry_after_secs),
                            "{retry_after_secs}"
                        )
                    }
                    Err(other) => panic!("{other:?}"),
                }
            }
            while let Some(c) = store
                .claim(
                    &w,
                    WorkerType::Cpu,
                    &ROUTING,
                    30_000,
                    T0 + round * 1_000 + 500,
                )
                .await
                .unwrap()
            {
                let event = failed(&c.job, "done");
                assert!(
                    store
                        .fail_job(&c.job, &w, "done", &event, T0 + round * 1_000 + 600)
                        .await
                        .unwrap()
                );
            }
        }
        assert_eq!(accepted, 6, "exactly the hourly limit is admitted");
    }
);

conformance!(
    a_refused_submission_writes_neither_job_nor_files,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let id = submit(&store, &project, &user, &files(2), 100, T0)
            .await
            .unwrap();
        let spec = store.preview_spec(id).await.unwrap().unwrap();
        assert_eq!(spec.input, "{\"files\":2}");
        let before = store.project_files(project.id).await.unwrap();
        assert_eq!(
            submit(&store, &project, &user, &files(5), 3, T0 + 1).await,
            Err(Refused::TooManyFiles(5))
        );
        for _ in 0..3 {
            submit(&store, &project, &user, &files(1), 100, T0 + 2)
                .await
                .unwrap();
        }
        let changed = vec![TextFile {
            path: "src/new.ts".into(),
            content: "x".into(),
        }];
        assert_eq!(
            submit(&store, &project, &user, &changed, 100, T0 + 3).await,
            Err(Refused::Parallel)
        );
        assert_eq!(store.project_files(project.id).await.unwrap(), before);
        assert_eq!(
            store
                .count_jobs_since(user.id, JobKind::Preview, T0)
                .await
                .unwrap(),
            4
        );
    }
);

conformance!(
    disabled_and_silent_workers_claim_nothing_and_a_disabled_one_cannot_extend,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let first = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let c = store
            .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.job.id, first);
        store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        assert!(store.set_worker_active(&w, false).await.unwrap());
        assert!(
            store
                .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0 + 1)
                .await
                .unwrap()
                .is_none(),
            "a disabled worker claims nothing"
        );
        assert!(
            !store
                .extend_lease(first, &w, T0 + 60_000, T0 + 1)
                .await
                .unwrap(),
            "a disabled worker cannot keep its lease"
        );
        // Its job fails with the reason, not as a lost worker.
        let swept = store.sweep_jobs(T0 + 40_000, "http://h").await.unwrap();
        assert_eq!(swept.len(), 1);
        assert_eq!(
            store
                .job(first)
                .await
                .unwrap()
                .unwrap()
                .failure_reason
                .as_deref(),
            Some(WORKER_DISABLED)
        );
        // Enabled again but silent past the heartbeat timeout: still nothing.
        assert!(store.set_worker_active(&w, true).await.unwrap());
        let silent = T0 + ROUTING.heartbeat_timeout_ms + 1;
        assert!(
            store
                .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, silent)
                .await
                .unwrap()
                .is_none(),
            "a silent worker claims nothing"
        );
        store
            .record_heartbeat(&w, &beat(silent), silent)
            .await
            .unwrap();
        assert!(
            store
                .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, silent)
                .await
                .unwrap()
                .is_some(),
            "heard from again, it claims"
        );
    }
);

conformance!(
    a_job_the_worker_fails_itself_raises_its_failure_event,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let id = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let c = store
            .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0)
            .await
            .unwrap()
            .unwrap();
        let last = store.last_event_id().await.unwrap();
        assert!(
            store
                .fail_job(&c.job, &w, "why", &failed(&c.job, "why"), T0 + 1)
                .await
                .unwrap()
        );
        let events = store.events_since(last, 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].kind, "preview.failed");
        assert_eq!(events[0].job_id, id.to_string());
        assert_eq!(events[0].payload, failed(&c.job, "why").payload());
        let job = store.job(id).await.unwrap().unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.failure_reason.as_deref(), Some("why"));
    }
);

const LOG_LIMITS: LogLimits = LogLimits {
    session_bytes: 1_000,
    token_bytes: 1_500,
    batches_per_minute: 5,
};

conformance!(
    preview_log_sessions_are_bound_to_their_job_and_bounded,
    |store: Store| async move {
        use hivesync_core::ids::SessionId;
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let job = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let other = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let (s1, s2) = (SessionId::new_random(), SessionId::new_random());
        let admit = |s, j, bytes, now| {
            let store = store.clone();
            async move {
                store
                    .admit_preview_log(s, j, bytes, &LOG_LIMITS, now)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(admit(s1, job, 400, T0).await, Ok(()));
        assert_eq!(
            admit(s1, other, 10, T0).await,
            Err(LogRefusal::ForeignSession),
            "another preview's token cannot write into the session"
        );
        assert_eq!(admit(s1, job, 400, T0).await, Ok(()));
        assert_eq!(admit(s1, job, 400, T0).await, Err(LogRefusal::SessionFull));
        assert_eq!(admit(s2, job, 600, T0).await, Ok(()));
        assert_eq!(admit(s2, job, 200, T0).await, Err(LogRefusal::TokenFull));
        // The rate: five batches a minute per token, refusals not counted.
        let s3 = SessionId::new_random();
        let minute = T0 - T0.rem_euclid(60_000) + 60_000;
        for i in 0..5 {
            assert_eq!(admit(s3, other, 1, minute + i).await, Ok(()));
        }
        assert_eq!(
            admit(s3, other, 1, minute + 10).await,
            Err(LogRefusal::TooFast {
                retry_after_secs: 59
            })
        );
        assert_eq!(admit(s3, other, 1, minute + 60_000).await, Ok(()));
        assert_eq!(
            store
                .prune_rate_limit_counters(minute + 60_000)
                .await
                .unwrap(),
            2
        );
    }
);

conformance!(
    an_api_key_sees_a_project_while_valid_and_a_member,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let key = store.create_api_key(user.id, "k", false, T0).await.unwrap();
        assert_eq!(
            store
                .api_key_sees_project(key.id, project.id)
                .await
                .unwrap(),
            Some(true)
        );
        assert!(store.remove_member(project.id, user.id).await.unwrap());
        assert_eq!(
            store
                .api_key_sees_project(key.id, project.id)
                .await
                .unwrap(),
            Some(false)
        );
        assert!(store.revoke_api_key(key.id, T0 + 1).await.unwrap());
        assert_eq!(
            store
                .api_key_sees_project(key.id, project.id)
                .await
                .unwrap(),
            None
        );
    }
);

conformance!(
    callbacks_apply_once_and_append_an_event,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let id = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let other = worker(&store, "cpu-2", WorkerType::Cpu, T0).await;
        let claimed = store
            .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0)
            .await
            .unwrap()
            .unwrap();
        let screen = ScreenRecord {
            screen_id: "s-ok".into(),
            device_type: DeviceType::Ipad,
            name: "Home".into(),
            layout_key: "previews/s-ok/layout.json".into(),
            asset_keys: vec!["previews/s-ok/assets/0123456789abcdef.png".into()],
            warnings: serde_json::json!([{"message": "x"}]),
        };
        let ok = Outcome::Succeeded(vec![screen.clone()]);
        // Another worker's callback changes nothing, and its id stays unused.
        assert_eq!(
            store
                .apply_callback(
                    &claimed.job,
                    &other,
                    "wh-1",
                    &ok,
                    &ready(&claimed.job),
                    T0 + 1
                )
                .await
                .unwrap(),
            Err(CallbackRefusal::NotRunning)
        );
        assert!(store.preview_screens(id).await.unwrap().is_empty());
        let event = store
            .apply_callback(&claimed.job, &w, "wh-1", &ok, &ready(&claimed.job), T0 + 2)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(store.preview_screens(id).await.unwrap(), vec![screen]);
        assert_eq!(
            store.job(id).await.unwrap().unwrap().state,
            JobState::Succeeded
        );
        // The same id again is a replay; a fresh id finds the job final.
        assert_eq!(
            store
                .apply_callback(&claimed.job, &w, "wh-1", &ok, &ready(&claimed.job), T0 + 3)
                .await
                .unwrap(),
            Err(CallbackRefusal::Replayed)
        );
        assert_eq!(
            store
                .apply_callback(&claimed.job, &w, "wh-2", &ok, &ready(&claimed.job), T0 + 3)
                .await
                .unwrap(),
            Err(CallbackRefusal::NotRunning)
        );
        let events = store.events_after(&[project.id], 0, 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].id, event);
        assert_eq!(events[0].kind, "preview.ready");
        assert_eq!(events[0].payload, ready(&claimed.job).payload());
        assert!(
            store
                .events_after(&[project.id], event, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let (_, elsewhere) = user_and_project(&store, Tier::Pro).await;
        assert!(
            store
                .events_after(&[elsewhere.id], 0, 10)
                .await
                .unwrap()
                .is_empty(),
            "events are per project"
        );
        assert_eq!(store.prune_events(T0 + 3).await.unwrap(), 1);
    }
);

conformance!(
    project_files_take_full_sets_and_deltas,
    |store: Store| async move {
        let (_, project) = user_and_project(&store, Tier::Pro).await;
        let f = |p: &str, c: &str| TextFile {
            path: p.into(),
            content: c.into(),
        };
        let set = store
            .update_project_files(
                project.id,
                true,
                &[f("App.tsx", "a"), f("b.ts", "b")],
                &[],
                100,
                T0,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set.len(), 2);
        let set = store
            .update_project_files(
                project.id,
                false,
                &[f("App.tsx", "a2"), f("c.ts", "c")],
                &["b.ts".into()],
                100,
                T0,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set, vec![f("App.tsx", "a2"), f("c.ts", "c")]);
        let set = store
            .update_project_files(project.id, true, &[f("x.ts", "x")], &[], 100, T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set, vec![f("x.ts", "x")]);
        // Sizes are bytes, not characters, on both databases.
        store
            .update_project_files(project.id, false, &[f("é.ts", "héé")], &[], 100, T0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            store.project_file_sizes(project.id).await.unwrap(),
            vec![("x.ts".to_string(), 1), ("é.ts".to_string(), 5)]
        );
        store
            .update_project_files(project.id, false, &[], &["é.ts".into()], 100, T0)
            .await
            .unwrap()
            .unwrap();
        // Over the file limit: refused, nothing written.
        let over = store
            .update_project_files(project.id, false, &[f("y.ts", "y")], &[], 1, T0)
            .await
            .unwrap();
        assert_eq!(over, Err(2));
        assert_eq!(
            store.project_files(project.id).await.unwrap(),
            vec![f("x.ts", "x")]
        );
        // Concurrent deltas of one project each apply to what the previous one left.
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                let store = store.clone();
                let file = f(&format!("d{i}.ts"), "d");
                tokio::spawn(async move {
                    store
                        .update_project_files(project.id, false, &[file], &[], 100, T0)
                        .await
                        .unwrap()
                        .unwrap()
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(store.project_files(project.id).await.unwrap().len(), 11);
    }
);

conformance!(
    tier_limit_counters_see_recent_and_active_jobs,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Free).await;
        store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        store
            .enqueue_preview(&preview(&project, &user), T0 + 10)
            .await
            .unwrap();
        assert_eq!(
            store
                .count_jobs_since(user.id, JobKind::Preview, T0 + 5)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .count_jobs_since(user.id, JobKind::Preview, T0)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .oldest_job_since(user.id, JobKind::Preview, T0)
                .await
                .unwrap(),
            Some(T0)
        );
        assert_eq!(
            store
                .count_active_jobs(user.id, JobKind::Preview)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .count_active_jobs(user.id, JobKind::AiDocs)
                .await
                .unwrap(),
            0
        );
    }
);

conformance!(
    a_reader_paging_by_id_misses_no_event_under_concurrent_writers,
    |store: Store| async move {
        let (_, project) = user_and_project(&store, Tier::Pro).await;
        let (user, _) = user_and_project(&store, Tier::Pro).await;
        let job = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        let swept = ClientEvent::failed("http://h", JobKind::Preview, job, project.id, WORKER_LOST);
        let writers: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                let swept = swept.clone();
                tokio::spawn(async move {
                    for _ in 0..25 {
                        store.append_event(&swept, T0).await.unwrap();
                    }
                })
            })
            .collect();
        // Page the way the event pump does, while the writers run.
        let mut seen = Vec::new();
        let mut last = 0;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while seen.len() < 200 {
            for e in store.events_since(last, 50).await.unwrap() {
                last = e.id;
                seen.push(e.id);
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "saw {} of 200 events",
                seen.len()
            );
            tokio::task::yield_now().await;
        }
        for w in writers {
            w.await.unwrap();
        }
        assert_eq!(seen.len(), 200, "every event seen exactly once");
    }
);

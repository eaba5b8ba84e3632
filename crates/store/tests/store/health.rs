//! Worker health from silence and from the error rate, recovery, operators' changes, and the
//! record of every change, all on a controlled clock (times are passed in).

use super::*;
use hivesync_store::health::{Change, HEALTH_ACTOR, HealthPolicy};
use hivesync_store::queue::FailureCause;

const POLICY: HealthPolicy = HealthPolicy {
    heartbeat_timeout_ms: 120_000,
    error_window_jobs: 20,
    error_window_ms: 600_000,
    error_rate_threshold: 0.5,
    error_min_jobs: 4,
};

/// Claims the next job for `w` at `now` and ends it: success, a user's failure, or a worker's.
async fn run_one(
    store: &Store,
    w: &WorkerId,
    user: &hivesync_store::accounts::User,
    project: &hivesync_store::accounts::Project,
    cause: Option<FailureCause>,
    now: i64,
) {
    store
        .enqueue_preview(&preview(project, user), now)
        .await
        .unwrap();
    store.record_heartbeat(w, &beat(now), now).await.unwrap();
    let c = store
        .claim(w, WorkerType::Cpu, &ROUTING, 30_000, now)
        .await
        .unwrap()
        .expect("a healthy worker claims");
    let outcome = match cause {
        None => Outcome::Succeeded(Vec::new()),
        Some(FailureCause::Worker) => Outcome::WorkerFailed("upload failed twice".into()),
        Some(_) => Outcome::Failed("does not compile".into()),
    };
    let event = match cause {
        None => ready(&c.job),
        Some(_) => failed(&c.job, "x"),
    };
    let id = format!("wh-{}", uuid_like());
    store
        .apply_callback(&c.job, w, &id, &outcome, &event, now + 1)
        .await
        .unwrap()
        .unwrap();
}

conformance!(
    missed_heartbeats_make_a_worker_unhealthy_and_its_job_fails_after_the_lease,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let job = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        store
            .claim(&w, WorkerType::Cpu, &ROUTING, 150_000, T0)
            .await
            .unwrap()
            .unwrap();
        assert!(
            store
                .evaluate_worker_health(&POLICY, T0 + 119_000)
                .await
                .unwrap()
                .is_empty(),
            "119 s of silence is fine"
        );
        let changes = store
            .evaluate_worker_health(&POLICY, T0 + 121_000)
            .await
            .unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].change, Change::Unhealthy);
        assert_eq!(changes[0].actor, HEALTH_ACTOR);
        assert!(
            changes[0].reason.contains("no heartbeat for 121 s"),
            "{}",
            changes[0].reason
        );
        assert!(
            store
                .evaluate_worker_health(&POLICY, T0 + 122_000)
                .await
                .unwrap()
                .is_empty(),
            "a change is recorded once"
        );
        let listed = store.worker_health(&POLICY, T0 + 122_000).await.unwrap();
        assert!(!listed[0].healthy);
        assert_eq!(listed[0].running_jobs, 1);
        // Unhealthy: it claims nothing, even the job still queued.
        assert!(
            store
                .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0 + 122_000)
                .await
                .unwrap()
                .is_none()
        );
        // Before the lease ends the job is still its; after, it fails as lost, by the worker's fault.
        assert!(
            store
                .sweep_jobs(T0 + 149_000, "http://h")
                .await
                .unwrap()
                .is_empty()
        );
        let swept = store.sweep_jobs(T0 + 150_001, "http://h").await.unwrap();
        assert_eq!(swept.iter().map(|s| s.id).collect::<Vec<_>>(), vec![job]);
        let j = store.job(job).await.unwrap().unwrap();
        assert_eq!(j.state, JobState::Failed);
        assert_eq!(j.failure_reason.as_deref(), Some(WORKER_LOST));
        let window = store.error_window(&w, &POLICY, T0 + 150_001).await.unwrap();
        assert_eq!((window.jobs, window.worker_failures), (1, 1));
        let history = store.worker_transitions(Some(&w), 10).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].created_at, T0 + 121_000);
    }
);

conformance!(
    worker_caused_failures_above_the_threshold_make_a_worker_unhealthy_until_it_recovers,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        // Users' failures do not count: 6 broken projects leave the worker healthy.
        for i in 0..6 {
            run_one(
                &store,
                &w,
                &user,
                &project,
                Some(FailureCause::User),
                T0 + i * 1_000,
            )
            .await;
        }
        assert!(
            store
                .evaluate_worker_health(&POLICY, T0 + 10_000)
                .await
                .unwrap()
                .is_empty()
        );
        // 2 successes and 5 worker failures among the last 13: 5/13 = 38%, still healthy.
        for i in 0..2 {
            run_one(&store, &w, &user, &project, None, T0 + 20_000 + i * 1_000).await;
        }
        for i in 0..5 {
            run_one(
                &store,
                &w,
                &user,
                &project,
                Some(FailureCause::Worker),
                T0 + 30_000 + i * 1_000,
            )
            .await;
        }
        assert!(
            store
                .evaluate_worker_health(&POLICY, T0 + 40_000)
                .await
                .unwrap()
                .is_empty()
        );
        // 2 more worker failures: 7/15 = 47%; 2 more: 9/17 = 53% > 50%.
        for i in 0..2 {
            run_one(
                &store,
                &w,
                &user,
                &project,
                Some(FailureCause::Worker),
                T0 + 41_000 + i * 1_000,
            )
            .await;
        }
        assert!(
            store
                .evaluate_worker_health(&POLICY, T0 + 45_000)
                .await
                .unwrap()
                .is_empty()
        );
        for i in 0..2 {
            run_one(
                &store,
                &w,
                &user,
                &project,
                Some(FailureCause::Worker),
                T0 + 46_000 + i * 1_000,
            )
            .await;
        }
        let changes = store
            .evaluate_worker_health(&POLICY, T0 + 50_000)
            .await
            .unwrap();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].change, Change::Unhealthy);
        assert!(
            changes[0].reason.contains("9 of its last 17 jobs"),
            "{}",
            changes[0].reason
        );
        store
            .enqueue_preview(&preview(&project, &user), T0 + 50_000)
            .await
            .unwrap();
        store
            .record_heartbeat(&w, &beat(T0 + 50_000), T0 + 50_000)
            .await
            .unwrap();
        assert!(
            store
                .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, T0 + 50_000)
                .await
                .unwrap()
                .is_none(),
            "a failing worker claims nothing although it is heard from"
        );
        // Heard from, and its failures aged out of the 10-minute window: healthy again.
        let later = T0 + 46_000 + 1_000 + POLICY.error_window_ms + 2;
        store
            .record_heartbeat(&w, &beat(later), later)
            .await
            .unwrap();
        let changes = store.evaluate_worker_health(&POLICY, later).await.unwrap();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].change, Change::Healthy);
        assert!(
            store
                .claim(&w, WorkerType::Cpu, &ROUTING, 30_000, later)
                .await
                .unwrap()
                .is_some()
        );
        let history: Vec<Change> = store
            .worker_transitions(Some(&w), 10)
            .await
            .unwrap()
            .iter()
            .map(|t| t.change)
            .collect();
        assert_eq!(history, vec![Change::Healthy, Change::Unhealthy]);
    }
);

conformance!(
    an_unhealthy_gpu_worker_is_absent_for_routing_and_the_fallback_is_recorded,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Premium).await;
        let gpu = worker(&store, "gpu-1", WorkerType::Gpu, T0).await;
        let cpu = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        let job = store
            .enqueue_preview(&preview(&project, &user), T0)
            .await
            .unwrap();
        store.record_heartbeat(&cpu, &beat(T0), T0).await.unwrap();
        assert!(
            store
                .claim(&cpu, WorkerType::Cpu, &ROUTING, 30_000, T0)
                .await
                .unwrap()
                .is_none(),
            "a healthy GPU worker exists"
        );
        // The GPU worker keeps beating but fails everything through its own fault.
        for _ in 0..4 {
            store
                .set_worker_status(
                    &cpu,
                    false,
                    "admin:test",
                    "keep the premium job for the GPU",
                    T0,
                )
                .await
                .unwrap();
            let t = T0 + 1_000;
            store
                .enqueue_preview(&preview(&project, &user), t)
                .await
                .unwrap();
            store.record_heartbeat(&gpu, &beat(t), t).await.unwrap();
            let c = store
                .claim(&gpu, WorkerType::Gpu, &ROUTING, 30_000, t)
                .await
                .unwrap()
                .unwrap();
            let id = format!("wh-{}", uuid_like());
            store
                .apply_callback(
                    &c.job,
                    &gpu,
                    &id,
                    &Outcome::WorkerFailed("GPU out of memory".into()),
                    &failed(&c.job, "x"),
                    t + 1,
                )
                .await
                .unwrap()
                .unwrap();
            store
                .set_worker_status(&cpu, true, "admin:test", "done", T0)
                .await
                .unwrap();
        }
        let changes = store
            .evaluate_worker_health(&POLICY, T0 + 2_000)
            .await
            .unwrap();
        assert_eq!(
            changes
                .iter()
                .map(|c| (c.worker_id.as_str(), c.change))
                .collect::<Vec<_>>(),
            vec![("gpu-1", Change::Unhealthy)]
        );
        assert!(!store.healthy_gpu_worker_exists(T0).await.unwrap());
        store
            .record_heartbeat(&cpu, &beat(T0 + 2_000), T0 + 2_000)
            .await
            .unwrap();
        let queued: Vec<_> = store.routing_events(None, 10).await.unwrap();
        assert!(queued.is_empty());
        let c = store
            .claim(&cpu, WorkerType::Cpu, &ROUTING, 30_000, T0 + 2_000)
            .await
            .unwrap()
            .unwrap();
        assert!(c.gpu_fallback);
        let events = store.routing_events(None, 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].worker_id, "cpu-1");
        let _ = job;
    }
);

conformance!(
    an_operator_disabling_a_worker_is_recorded_with_who_and_why,
    |store: Store| async move {
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        assert_eq!(
            store
                .set_worker_status(&w, false, "admin:key1", "flaky disk", T0 + 5)
                .await
                .unwrap(),
            Some(true)
        );
        assert_eq!(
            store
                .set_worker_status(&w, false, "admin:key1", "again", T0 + 6)
                .await
                .unwrap(),
            Some(false),
            "no change, no record"
        );
        let ghost = WorkerId::parse("ghost").unwrap();
        assert_eq!(
            store
                .set_worker_status(&ghost, false, "admin:key1", "x", T0)
                .await
                .unwrap(),
            None
        );
        assert!(!store.worker(&w).await.unwrap().unwrap().active);
        assert_eq!(
            store
                .set_worker_status(&w, true, "admin:key2", "disk replaced", T0 + 9)
                .await
                .unwrap(),
            Some(true)
        );
        let history = store.worker_transitions(None, 10).await.unwrap();
        let got: Vec<_> = history
            .iter()
            .map(|t| (t.change, t.actor.as_str(), t.reason.as_str(), t.created_at))
            .collect();
        assert_eq!(
            got,
            vec![
                (Change::Enabled, "admin:key2", "disk replaced", T0 + 9),
                (Change::Disabled, "admin:key1", "flaky disk", T0 + 5)
            ]
        );
    }
);

conformance!(
    recent_jobs_queue_depths_and_tier_figures_read_back,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        let w = worker(&store, "cpu-1", WorkerType::Cpu, T0).await;
        run_one(&store, &w, &user, &project, None, T0).await;
        run_one(
            &store,
            &w,
            &user,
            &project,
            Some(FailureCause::Worker),
            T0 + 10,
        )
        .await;
        store
            .enqueue_preview(&preview(&project, &user), T0 + 20)
            .await
            .unwrap();
        let jobs = store.recent_jobs(10).await.unwrap();
        assert_eq!(jobs.len(), 3);
        assert_eq!(jobs[1].failure_cause.as_deref(), Some("worker"));
        assert_eq!(jobs[1].run_ms(), Some(1));
        let depths = store.queue_depths().await.unwrap();
        assert_eq!(depths.len(), 1);
        assert_eq!(
            (depths[0].tier, depths[0].queued, depths[0].running),
            (Tier::Pro, 1, 0)
        );
        let days = store.tier_analytics(7, T0 + 100).await.unwrap();
        assert_eq!(days.len(), 1);
        assert_eq!(
            (days[0].jobs, days[0].failed, days[0].p50_ms, days[0].p95_ms),
            (2, 1, Some(1), Some(1))
        );
        assert_eq!(
            hivesync_store::analytics::quantile(&[1, 2, 3, 4, 100], 0.95),
            Some(100)
        );
        assert_eq!(
            hivesync_store::analytics::quantile(&[1, 2, 3, 4, 100], 0.5),
            Some(3)
        );
    }
);

//! Worker registration, heartbeats, health and status.

use super::*;

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

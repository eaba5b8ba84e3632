//! The job queue: the claim and its routing, leases, guarded transitions, callbacks, the sweep.

use super::*;

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

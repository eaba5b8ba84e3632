//! Preview-log sessions: binding to their job, volume and rate.

use super::*;

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

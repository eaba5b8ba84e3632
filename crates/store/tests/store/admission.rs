//! Admitting a preview: the tier quota, the file set and the job in one transaction.

use super::*;

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
        let changed = vec![TextFile::new("src/new.ts", "x")];
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
    binary_files_over_the_asset_limits_are_refused_with_nothing_written,
    |store: Store| async move {
        let (user, project) = user_and_project(&store, Tier::Pro).await;
        // The helper's limits: 2 binary files, 100 bytes of them together.
        let png = |name: &str, n: usize| {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            bytes.resize(n, 0);
            TextFile::binary(name, &bytes)
        };
        submit(&store, &project, &user, &[png("a.png", 40)], 100, T0)
            .await
            .unwrap();
        let before = store.project_files(project.id).await.unwrap();
        // A delta adding two more makes three in the set.
        assert_eq!(
            submit(
                &store,
                &project,
                &user,
                &[png("b.png", 10), png("c.png", 10)],
                100,
                T0 + 1
            )
            .await,
            Err(Refused::TooManyAssets(3))
        );
        // One more of 61 bytes makes 101 with the stored one.
        assert_eq!(
            submit(&store, &project, &user, &[png("b.png", 61)], 100, T0 + 2).await,
            Err(Refused::AssetsTooLarge(101))
        );
        assert_eq!(store.project_files(project.id).await.unwrap(), before);
        assert_eq!(
            store
                .count_jobs_since(user.id, JobKind::Preview, T0)
                .await
                .unwrap(),
            1
        );
        // Exactly at both limits is admitted.
        submit(&store, &project, &user, &[png("b.png", 60)], 100, T0 + 3)
            .await
            .unwrap();
    }
);

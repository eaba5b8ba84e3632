//! Migrations and the schema's own constraints.

use super::*;

conformance!(migrations_are_idempotent, |store: Store| async move {
    assert!(
        store.migrate().await.unwrap().is_empty(),
        "a second run applies nothing"
    );
    store.ping().await.unwrap();
});

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

//! Client events: ordering under concurrent writers.

use super::*;

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

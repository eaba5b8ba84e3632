//! Security events: recording, bursts, retention.

use super::*;

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

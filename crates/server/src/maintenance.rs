//! The maintenance a backend replica runs in the background: the sweep (every 2 s, on every
//! replica; its statements are idempotent) fails jobs whose worker is lost and jobs that expired
//! in the queue, and raises their events; every minute it also prunes what has a retention:
//! client events, callback receipts, security events, heartbeats and rate-limit windows.
//! Every 10 s it judges the workers' health (silence, error rate; see
//! `hivesync_store::health`) and logs each change it records.

use std::time::Duration;

use hivesync_core::clock::now_ms;

use crate::state::AppState;

/// Starts the event pump and the sweep; returns their handles.
pub fn spawn_background(state: AppState) -> Vec<tokio::task::JoinHandle<()>> {
    vec![
        tokio::spawn(crate::events::pump(state.clone())),
        tokio::spawn(sweep(state)),
    ]
}

async fn sweep(state: AppState) {
    let store = state.store();
    let retention_ms = state.config().server.event_retention_seconds as i64 * 1000;
    let receipts_ms = state.config().callback.tolerance_seconds as i64 * 2000;
    let security_ms = state.config().server.security_event_retention_days as i64 * 86_400_000;
    let heartbeats_ms = state.config().server.heartbeat_retention_hours as i64 * 3_600_000;
    let base = state
        .config()
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let mut ticks = 0u64;
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = now_ms();
        match store.sweep_jobs(now, &base).await {
            Ok(swept) => {
                for job in swept {
                    tracing::warn!(job = %job.id, reason = job.reason, "job failed by the sweep");
                    state.metrics().job_finished(
                        job.kind.as_str(),
                        job.tier.as_str(),
                        "failed",
                        None,
                        None,
                    );
                }
            }
            Err(e) => tracing::debug!("sweep skipped: {e}"),
        }
        if ticks.is_multiple_of(5) {
            judge_health(&state, now).await;
        }
        ticks += 1;
        if ticks.is_multiple_of(30) {
            let _ = store.prune_events(now - retention_ms).await;
            let _ = store.prune_receipts(now - receipts_ms).await;
            let _ = store.prune_security_events(now - security_ms).await;
            let _ = store.prune_heartbeats(now - heartbeats_ms).await;
            // Rate windows are a minute long; an hour-old one is over.
            let _ = store.prune_rate_limit_counters(now - 3_600_000).await;
        }
    }
}

/// Judges every worker's health once and logs the changes this replica recorded.
pub async fn judge_health(state: &AppState, now: i64) {
    match state
        .store()
        .evaluate_worker_health(&state.health_policy(), now)
        .await
    {
        Ok(changes) => {
            for t in changes {
                match t.change {
                    hivesync_store::health::Change::Unhealthy => {
                        tracing::warn!(worker = %t.worker_id, by = t.actor, "worker unhealthy: {}", t.reason)
                    }
                    _ => {
                        tracing::info!(worker = %t.worker_id, by = t.actor, "worker {}: {}", t.change.as_str(), t.reason)
                    }
                }
            }
        }
        Err(e) => tracing::debug!("health judgement skipped: {e}"),
    }
}

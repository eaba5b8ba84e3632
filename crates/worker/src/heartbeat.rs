//! Signed heartbeats to the backend every `worker.heartbeat_interval_seconds` (10-30 s): CPU
//! load, GPU load when a GPU is present, memory, running jobs and the queue depth it sees.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hivesync_core::WorkerType;
use hivesync_core::clock::now_ms;
use hivesync_core::wire::HeartbeatBody;

use crate::context::{Ctx, Shutdown};

/// CPU load: the 1-minute load average per core (Linux `/proc/loadavg`), 0 when unknown.
pub fn cpu_load() -> f64 {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as f64;
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|l| l / cores)
        .unwrap_or(0.0)
}

/// Memory (used, total) in bytes from `/proc/meminfo`; zeros when unknown.
pub fn memory() -> (i64, i64) {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<i64>().ok())
            .map(|kib| kib * 1024)
    };
    match (field("MemTotal:"), field("MemAvailable:")) {
        (Some(total), Some(available)) => (total - available, total),
        _ => (0, 0),
    }
}

/// GPU utilisation (0-1) from `nvidia-smi` when present.
async fn gpu_load() -> Option<f64> {
    let out = tokio::process::Command::new("nvidia-smi")
        .args([
            "--query-gpu=utilization.gpu",
            "--format=csv,noheader,nounits",
        ])
        .output()
        .await
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let loads: Vec<f64> = text
        .lines()
        .filter_map(|l| l.trim().parse::<f64>().ok())
        .collect();
    (!loads.is_empty()).then(|| loads.iter().sum::<f64>() / loads.len() as f64 / 100.0)
}

/// Sends heartbeats until shutdown.
pub(crate) async fn run(ctx: Arc<Ctx>, mut shutdown: Shutdown) {
    let every = Duration::from_secs(ctx.config.worker.heartbeat_interval_seconds);
    // Logged once per outage, not once per beat.
    let mut failing = false;
    loop {
        let (used, total) = memory();
        let gpu = if ctx.worker_type == WorkerType::Gpu {
            gpu_load().await
        } else {
            None
        };
        let depth = ctx.store.queue_depth().await.unwrap_or(0);
        let body = HeartbeatBody {
            worker_id: ctx.id.clone(),
            sent_at: now_ms(),
            cpu_load: cpu_load(),
            gpu_load: gpu,
            memory_used_bytes: used,
            memory_total_bytes: total,
            running_jobs: ctx.running.load(Ordering::SeqCst),
            queue_depth: i32::try_from(depth).unwrap_or(i32::MAX),
        };
        match ctx.backend.post("/api/v1/worker/heartbeat", &body).await {
            Ok(()) if failing => {
                failing = false;
                ctx.log.event("heartbeat_restored", serde_json::json!({}));
            }
            Ok(()) => {}
            Err(e) => {
                tracing::warn!(worker = %ctx.id, "heartbeat not delivered: {e}");
                if !failing {
                    failing = true;
                    ctx.log.event(
                        "heartbeat_failed",
                        serde_json::json!({ "error": e.to_string() }),
                    );
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

//! The worker's own log in object storage (spec H.7): structured events (job start / finish /
//! failure, retries, GPU fallbacks, heartbeat trouble, session-token cleanup counts) gathered in
//! memory and written as one JSON object per batch under `logs/workers/{worker_id}/{timestamp}.json`,
//! then indexed in `worker_logs` so admins can list and read them through the API.
//!
//! A batch is written when it would pass `worker.log_batch_bytes` or every
//! `worker.log_flush_seconds`, whichever comes first; a single event is cut to
//! [`MAX_STRING_CHARS`] per string. Nothing secret is written: events carry only ids, counts and
//! user-facing reasons, and every string is passed through [`redact`] on the way in (anything
//! shaped like a HiveSync key or token, a bearer credential or a `secret=`/`key=` pair is
//! replaced), so a reason that quotes one cannot leak it.

use std::sync::Mutex;

use bytes::Bytes;
use hivesync_core::clock::now_ms;
use hivesync_core::ids::WorkerId;
use hivesync_core::storage_keys::StorageKey;
use hivesync_objects::Objects;
use hivesync_store::Store;
use serde_json::{Value, json};

/// Longest string kept in an event, in characters.
pub const MAX_STRING_CHARS: usize = 500;

/// Room kept in each object for the envelope around the events (worker id, time), bytes.
const ENVELOPE_BYTES: usize = 160;

/// What [`redact`] puts in place of a credential.
pub const REDACTED: &str = "[redacted]";

/// Prefixes of HiveSync credentials: API keys, session tokens, admin keys, worker keys.
const SECRET_PREFIXES: &[&str] = &["hsk_", "hst_", "hsa_", "hswk_", "whsec_"];

/// Replaces credentials in `text`: words with a HiveSync credential prefix, the word after
/// `Bearer`, and the value of `secret=`, `key=`, `token=`, `password=` pairs.
pub fn redact(text: &str) -> String {
    let mut out = Vec::new();
    let mut after_bearer = false;
    for word in text.split(' ') {
        let lower = word.to_ascii_lowercase();
        let trimmed = lower.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        if after_bearer && !word.is_empty() {
            out.push(REDACTED.to_owned());
            after_bearer = false;
            continue;
        }
        after_bearer = trimmed == "bearer";
        if SECRET_PREFIXES.iter().any(|p| trimmed.starts_with(p)) {
            out.push(REDACTED.to_owned());
        } else if let Some(at) = ["secret=", "key=", "token=", "password="]
            .iter()
            .find_map(|p| lower.find(p).map(|i| i + p.len()))
        {
            out.push(format!("{}{REDACTED}", &word[..at]));
        } else {
            out.push(word.to_owned());
        }
    }
    out.join(" ")
}

fn clean(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(redact(
            &s.chars().take(MAX_STRING_CHARS).collect::<String>(),
        )),
        Value::Array(a) => Value::Array(a.into_iter().map(clean).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, clean(v))).collect()),
        other => other,
    }
}

struct Batch {
    events: Vec<Value>,
    bytes: usize,
    started: i64,
    last_key_ms: i64,
}

/// A worker's log: events in memory until the next write.
pub struct WorkerLog {
    worker: WorkerId,
    max_bytes: usize,
    flush_ms: i64,
    batch: Mutex<Batch>,
}

impl WorkerLog {
    /// An empty log for `worker`.
    pub fn new(worker: WorkerId, max_bytes: u64, flush_seconds: u64) -> Self {
        Self {
            worker,
            max_bytes: usize::try_from(max_bytes).unwrap_or(usize::MAX),
            flush_ms: flush_seconds as i64 * 1000,
            batch: Mutex::new(Batch {
                events: Vec::new(),
                bytes: 0,
                started: now_ms(),
                last_key_ms: 0,
            }),
        }
    }

    /// Adds an event `{"at", "event", ...fields}`; false when the batch is full and must be
    /// written first ([`WorkerLog::flush`]) — the event is then kept for the next batch.
    pub fn event(&self, event: &str, fields: Value) -> bool {
        let mut v = json!({ "at": now_ms(), "event": event });
        if let (Some(obj), Value::Object(extra)) = (v.as_object_mut(), clean(fields)) {
            for (k, x) in extra {
                obj.entry(k).or_insert(x);
            }
        }
        let size = v.to_string().len() + 1;
        let mut b = self.batch.lock().expect("log lock");
        if b.events.is_empty() {
            b.started = now_ms();
        }
        b.events.push(v);
        b.bytes += size;
        b.bytes < self.max_bytes
    }

    /// Whether a write is due: the batch is full or old enough.
    pub fn due(&self, now: i64) -> bool {
        let b = self.batch.lock().expect("log lock");
        !b.events.is_empty() && (b.bytes >= self.max_bytes || now - b.started >= self.flush_ms)
    }

    /// Takes events up to the byte bound off the batch, as the object to write and its key.
    fn take(&self, now: i64) -> Option<(StorageKey, Bytes, usize)> {
        let mut b = self.batch.lock().expect("log lock");
        if b.events.is_empty() {
            return None;
        }
        // Keep each object within the bound: the events that fit go now, the rest stay.
        let mut size = 0;
        let mut n = 0;
        for e in &b.events {
            let s = e.to_string().len() + 1;
            if n > 0 && size + s > self.max_bytes.saturating_sub(ENVELOPE_BYTES) {
                break;
            }
            size += s;
            n += 1;
        }
        let events: Vec<Value> = b.events.drain(..n).collect();
        b.bytes = b.bytes.saturating_sub(size);
        b.started = now;
        // One key per batch even within one millisecond.
        let key_ms = now.max(b.last_key_ms + 1);
        b.last_key_ms = key_ms;
        let body = json!({ "worker_id": self.worker, "written_at": now, "events": events });
        let key = StorageKey::WorkerLog(self.worker.clone(), key_ms as u64);
        Some((key, Bytes::from(body.to_string()), n))
    }

    /// Writes what is gathered (in bound-sized objects, one retry each) and indexes each
    /// object; returns how many objects were written. A batch that cannot be stored is dropped
    /// with a warning, so a storage outage cannot grow the worker's memory.
    pub async fn flush(&self, objects: &Objects, store: &Store) -> usize {
        let mut written = 0;
        while let Some((key, body, events)) = self.take(now_ms()) {
            let len = body.len() as i64;
            let mut stored = false;
            for attempt in 1..=2 {
                match objects.put(&key, body.clone()).await {
                    Ok(()) => {
                        stored = true;
                        break;
                    }
                    Err(e) if attempt == 1 => {
                        tracing::warn!(worker = %self.worker, "worker log not stored, retrying once: {e}")
                    }
                    Err(e) => {
                        tracing::warn!(worker = %self.worker, events, "worker log batch dropped: {e}")
                    }
                }
            }
            if !stored {
                continue;
            }
            written += 1;
            let path = key.as_path();
            if let Err(e) = store
                .record_worker_log(&self.worker, &path, events as i64, len, now_ms())
                .await
            {
                tracing::warn!(worker = %self.worker, "worker log stored but not indexed: {e}");
            }
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(
            redact("key hsk_abcdef123 leaked; Authorization: Bearer abc.def"),
            "key [redacted] leaked; Authorization: Bearer [redacted]"
        );
        assert_eq!(redact("url?token=xyz&b=1"), "url?token=[redacted]");
        assert_eq!(redact("(hst_QWERTY)"), "[redacted]");
        assert_eq!(redact("compile error at line 3"), "compile error at line 3");
    }

    #[test]
    fn batches_stay_within_the_bound() {
        let w = WorkerId::parse("cpu-1").unwrap();
        let log = WorkerLog::new(w, 1024, 30);
        let mut full_at = None;
        for i in 0..40 {
            if !log.event(
                "job_started",
                json!({ "job_id": format!("job-{i:04}"), "note": "x".repeat(40) }),
            ) {
                full_at.get_or_insert(i);
            }
        }
        assert!(full_at.is_some());
        assert!(log.due(now_ms()));
        let mut total = 0;
        while let Some((key, body, n)) = log.take(now_ms()) {
            assert!(body.len() <= 1024, "{}", body.len());
            assert!(key.as_path().starts_with("logs/workers/cpu-1/"));
            total += n;
        }
        assert_eq!(total, 40);
    }
}

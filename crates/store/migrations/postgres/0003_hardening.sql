-- Hardening: limits that held only per request, and growth that had no bound.

-- Preview-log sessions belong to the preview (job) whose token opened them: a token of another
-- job cannot write into them. `bytes` and `batches` are what the session has stored so far,
-- checked against the configured per-session and per-token (per-job) volumes.
CREATE TABLE preview_log_sessions (
    session_id TEXT PRIMARY KEY,
    job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    bytes      BIGINT NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    batches    INTEGER NOT NULL DEFAULT 0 CHECK (batches >= 0),
    created_at BIGINT NOT NULL,
    last_at    BIGINT NOT NULL
);
CREATE INDEX preview_log_sessions_job ON preview_log_sessions (job_id);

-- A burst of the same refusal from the same source is stored once per window with a count,
-- after its first rows were stored one by one with their detail (see hivesync_store::audit).
ALTER TABLE security_events ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);
ALTER TABLE security_events ADD COLUMN last_at BIGINT;
CREATE INDEX security_events_source ON security_events (kind, remote_addr, created_at);

-- Heartbeats are pruned by age.
CREATE INDEX worker_heartbeats_time ON worker_heartbeats (received_at);

-- rate_limit_counters counts preview-log batches per token (job) and minute; tier limits on
-- jobs are checked against the jobs table itself, atomically with the insert.
CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start);

-- Worker health from errors as well as silence, who changed a worker and why, and why a job
-- failed (issue 16). See hivesync_store::health.

-- A worker's health as the backend last judged it (`healthy`, or `unhealthy` with the reason).
-- Independent of `status` (the operator's active/disabled): both must allow a claim.
ALTER TABLE worker_nodes ADD COLUMN health TEXT NOT NULL DEFAULT 'healthy' CHECK (health IN ('healthy', 'unhealthy'));
ALTER TABLE worker_nodes ADD COLUMN health_reason TEXT;
ALTER TABLE worker_nodes ADD COLUMN health_changed_at BIGINT;

-- Whose fault a failure was: `user` (the project does not compile, takes too long),
-- `worker` (the worker crashed, could not store or report, or was lost), `system` (expired in
-- the queue, the worker was disabled). Only `worker` failures count against a worker's health.
ALTER TABLE jobs ADD COLUMN failure_cause TEXT CHECK (failure_cause IN ('user', 'worker', 'system'));
-- A worker's recent finished jobs (the error-rate window) and the per-tier analytics.
CREATE INDEX jobs_worker_finished ON jobs (worker_id, finished_at);
CREATE INDEX jobs_finished ON jobs (finished_at);

-- Every change of a worker's health or status: who (`health` for the backend's own judgement,
-- `admin:<key>` for an operator), when and why.
CREATE TABLE worker_transitions (
    id         BIGSERIAL PRIMARY KEY,
    worker_id  TEXT NOT NULL REFERENCES worker_nodes (id) ON DELETE CASCADE,
    change     TEXT NOT NULL CHECK (change IN ('healthy', 'unhealthy', 'disabled', 'enabled')),
    actor      TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
    reason     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX worker_transitions_worker_time ON worker_transitions (worker_id, created_at);
CREATE INDEX worker_transitions_time ON worker_transitions (created_at);

-- The index of the worker logs in object storage (`logs/workers/{worker_id}/{timestamp}.json`),
-- so admins can list them without listing the bucket.
CREATE TABLE worker_logs (
    object_key TEXT PRIMARY KEY CHECK (length(object_key) BETWEEN 1 AND 512),
    worker_id  TEXT NOT NULL REFERENCES worker_nodes (id) ON DELETE CASCADE,
    events     INTEGER NOT NULL CHECK (events >= 0),
    bytes      BIGINT NOT NULL CHECK (bytes >= 0),
    created_at BIGINT NOT NULL
);
CREATE INDEX worker_logs_worker_time ON worker_logs (worker_id, created_at);

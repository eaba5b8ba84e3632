-- HiveSync schema, SQLite (mirrors postgres/0001_initial.sql). Times are Unix milliseconds (BIGINT) in both databases so that
-- one conformance suite holds for PostgreSQL and SQLite; ids are canonical UUID or slug text.
--
-- Job state machine (also in hivesync_core::domain::JobState; every transition is one UPDATE
-- guarded by the old state, so two workers or a late callback can never both win):
--
--   queued  --claim-->            running     (worker_id, claimed_at, lease_expires_at set)
--   queued  --reject/expire-->    failed
--   running --callback ok-->      succeeded   (finished_at set)
--   running --callback failed-->  failed      (finished_at, failure_reason set)
--   running --lease ran out-->    failed      ("worker lost, please retry")
--
-- The CHECK constraints on jobs encode which columns each state requires.

CREATE TABLE users (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 320),
    display_name TEXT NOT NULL DEFAULT '',
    tier         TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'premium')),
    created_at   BIGINT NOT NULL
);

CREATE TABLE projects (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    is_mobile_app INTEGER NOT NULL DEFAULT 0 CHECK (is_mobile_app IN (0, 1)),
    created_at    BIGINT NOT NULL
);

CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members (user_id);

-- The current file set of a project, so a preview request can send a delta.
CREATE TABLE project_files (
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    path         TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 1024),
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (project_id, path)
);

-- Only a SHA-256 of each key is stored; `prefix` is what UIs may show.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    scopes       TEXT NOT NULL,
    is_admin     INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE worker_nodes (
    id                TEXT PRIMARY KEY,
    worker_type       TEXT NOT NULL CHECK (worker_type IN ('cpu', 'gpu')),
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    capacity          INTEGER NOT NULL CHECK (capacity > 0),
    version           TEXT NOT NULL,
    hostname          TEXT NOT NULL,
    registered_at     BIGINT NOT NULL,
    last_heartbeat_at BIGINT,
    stopped_at        BIGINT
);

CREATE TABLE worker_heartbeats (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id          TEXT NOT NULL REFERENCES worker_nodes (id) ON DELETE CASCADE,
    sent_at            BIGINT NOT NULL,
    received_at        BIGINT NOT NULL,
    cpu_load           REAL NOT NULL CHECK (cpu_load >= 0),
    gpu_load           REAL CHECK (gpu_load >= 0),
    memory_used_bytes  BIGINT NOT NULL CHECK (memory_used_bytes >= 0),
    memory_total_bytes BIGINT NOT NULL CHECK (memory_total_bytes >= 0),
    running_jobs       INTEGER NOT NULL CHECK (running_jobs >= 0),
    queue_depth        INTEGER NOT NULL CHECK (queue_depth >= 0)
);
CREATE INDEX worker_heartbeats_worker_time ON worker_heartbeats (worker_id, received_at);

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('preview', 'ai_docs')),
    project_id       TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tier             TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'premium')),
    priority         INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    worker_id        TEXT REFERENCES worker_nodes (id),
    created_at       BIGINT NOT NULL,
    claimed_at       BIGINT,
    lease_expires_at BIGINT,
    finished_at      BIGINT,
    expires_at       BIGINT NOT NULL,
    failure_reason   TEXT,
    CHECK (priority = CASE tier WHEN 'premium' THEN 2 WHEN 'pro' THEN 1 ELSE 0 END),
    CHECK (state <> 'queued' OR (worker_id IS NULL AND claimed_at IS NULL AND lease_expires_at IS NULL)),
    CHECK (state <> 'running' OR (worker_id IS NOT NULL AND claimed_at IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CHECK ((state IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)),
    CHECK ((state = 'failed') = (failure_reason IS NOT NULL)),
    CHECK (state <> 'succeeded' OR worker_id IS NOT NULL)
);
-- The claim: highest priority first, FIFO inside a priority.
CREATE INDEX jobs_claim ON jobs (priority DESC, created_at, id) WHERE state = 'queued';
-- The lease sweep.
CREATE INDEX jobs_running_lease ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_project ON jobs (project_id, created_at);
CREATE INDEX jobs_user_created ON jobs (user_id, kind, created_at);

CREATE TABLE preview_jobs (
    job_id        TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    platform      TEXT NOT NULL CHECK (platform IN ('ios', 'android')),
    device_types  TEXT NOT NULL CHECK (length(device_types) > 0),
    safe_mode     INTEGER NOT NULL DEFAULT 0 CHECK (safe_mode IN (0, 1)),
    request_bytes BIGINT NOT NULL CHECK (request_bytes >= 0),
    file_count    INTEGER NOT NULL CHECK (file_count >= 0),
    input         TEXT NOT NULL
);

CREATE TABLE preview_screens (
    screen_id   TEXT PRIMARY KEY,
    job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    layout_key  TEXT NOT NULL,
    asset_keys  TEXT NOT NULL,
    warnings    TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX preview_screens_job ON preview_screens (job_id);

CREATE TABLE ai_doc_jobs (
    job_id     TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    file_path  TEXT NOT NULL,
    style      TEXT NOT NULL CHECK (style IN ('short', 'long', 'diff')),
    input      TEXT NOT NULL,
    result_key TEXT
);

CREATE TABLE session_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);
-- The cleanup deletes by expiry or by `used`.
CREATE INDEX session_tokens_expires ON session_tokens (expires_at);
CREATE INDEX session_tokens_used ON session_tokens (used) WHERE used = 1;

CREATE TABLE routing_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    worker_id  TEXT NOT NULL REFERENCES worker_nodes (id),
    tier       TEXT NOT NULL CHECK (tier IN ('free', 'pro', 'premium')),
    reason     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Rejected callbacks and tokens, and other suspicious activity. Ids here are whatever the
-- request claimed (already validated as ids, never raw input), so there are no foreign keys.
CREATE TABLE security_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    worker_id   TEXT,
    job_id      TEXT,
    remote_addr TEXT,
    detail      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX security_events_time ON security_events (created_at);

-- Each callback id is accepted once.
CREATE TABLE callback_receipts (
    webhook_id  TEXT PRIMARY KEY,
    worker_id   TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX callback_receipts_time ON callback_receipts (received_at);

CREATE TABLE rate_limit_counters (
    scope        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (scope, subject, window_start)
);

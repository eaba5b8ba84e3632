-- Events for clients (SSE): kept for a retention window so a client that reconnects with
-- Last-Event-ID loses nothing. Ids are monotonic; every replica reads new ones after a
-- NOTIFY on channel `hivesync_events` (the payload carries the id).
CREATE TABLE events (
    id         BIGSERIAL PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('preview.ready', 'preview.failed', 'docs.ready', 'docs.failed')),
    job_id     TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_project ON events (project_id, id);
CREATE INDEX events_time ON events (created_at);

-- A preview compiles once per requested device type; each screen row says for which.
ALTER TABLE preview_screens ADD COLUMN device_type TEXT NOT NULL DEFAULT 'iphone'
    CHECK (device_type IN ('iphone', 'ipad', 'android-phone'));

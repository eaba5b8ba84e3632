-- AI documentation jobs (see hivesync_store::ai_docs): the request's mode next to its style, the
-- tokens the file counted at admission, and the cache key of the input (content hash, options,
-- provider, model): a job whose key matches a succeeded job's reuses that job's document.
-- `style` keeps its old CHECK, which also admits 'diff'; only 'short' and 'long' are written.
ALTER TABLE ai_doc_jobs ADD COLUMN mode TEXT NOT NULL DEFAULT 'doc' CHECK (mode IN ('doc', 'diff'));
ALTER TABLE ai_doc_jobs ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0 CHECK (tokens >= 0);
ALTER TABLE ai_doc_jobs ADD COLUMN cache_key TEXT NOT NULL DEFAULT '';
CREATE INDEX ai_doc_jobs_cache ON ai_doc_jobs (cache_key) WHERE result_key IS NOT NULL;
-- The per-project hourly limit counts a project's jobs of one kind.
CREATE INDEX jobs_project_kind_created ON jobs (project_id, kind, created_at);

-- The documentation events are called what the API calls them.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
UPDATE events SET kind = 'ai_docs.' || substr(kind, 6) WHERE kind IN ('docs.ready', 'docs.failed');
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('preview.ready', 'preview.failed', 'ai_docs.ready', 'ai_docs.failed'));

-- Claim the next job for worker $1 at time $2 with a lease until $3.
-- $4: the worker is a GPU worker (takes only Premium jobs).
-- $5: routing prefers GPU workers for Premium; when false, CPU workers take Premium freely.
-- $6: a worker heard from at or after this time (ms) counts as healthy.
-- $7: a Premium job created at or before this time has waited long enough for a GPU worker.
-- The claiming worker itself must be active (not disabled), not stopped and healthy (heard from,
-- and not judged unhealthy by hivesync_store::health): a disabled, silent or failing worker
-- claims nothing, and an unhealthy GPU worker counts as absent.
-- Order: priority (Premium > Pro > Free), then FIFO. SQLite has one writer at a time: the caller
-- runs this inside BEGIN IMMEDIATE, so the read and the write see the same queue; the outer
-- `state = 'queued'` guard keeps the transition single-winner even so.
UPDATE jobs
SET state = 'running', worker_id = $1, claimed_at = $2, lease_expires_at = $3
WHERE state = 'queued'
  AND EXISTS (
    SELECT 1 FROM worker_nodes me
    WHERE me.id = $1 AND me.status = 'active' AND me.health = 'healthy' AND me.stopped_at IS NULL
      AND me.last_heartbeat_at >= $6)
  AND id = (
    SELECT id FROM jobs
    WHERE state = 'queued' AND expires_at > $2
      AND (
        ($4 AND tier = 'premium')
        OR (NOT $4 AND (
              tier <> 'premium'
              OR NOT $5
              OR (created_at <= $7 AND NOT EXISTS (
                    SELECT 1 FROM worker_nodes w
                    WHERE w.worker_type = 'gpu' AND w.status = 'active' AND w.health = 'healthy' AND w.stopped_at IS NULL
                      AND w.last_heartbeat_at >= $6))))
      )
    ORDER BY priority DESC, created_at, id
    LIMIT 1
)
RETURNING id, kind, tier, project_id, user_id, created_at, expires_at

-- Healthy GPU workers: registered, active, judged healthy, not stopped, heard from since $1 (ms).
-- The same condition is inlined in the claim queries.
SELECT COUNT(*) FROM worker_nodes
WHERE worker_type = 'gpu' AND status = 'active' AND health = 'healthy' AND stopped_at IS NULL AND last_heartbeat_at >= $1

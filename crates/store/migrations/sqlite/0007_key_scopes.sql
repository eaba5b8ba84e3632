-- API keys carry one scope: `client` (a developer's key), `ci` (submits jobs and reads their
-- results) or `admin` (everything, the admin API included). Keys made before scopes existed
-- become `admin` where they were admin keys, else `client`. `is_admin` stays in step with
-- `scopes = 'admin'` for readers of the old column.
UPDATE api_keys SET scopes = CASE WHEN is_admin THEN 'admin' ELSE 'client' END;
CREATE INDEX api_keys_created ON api_keys (created_at);

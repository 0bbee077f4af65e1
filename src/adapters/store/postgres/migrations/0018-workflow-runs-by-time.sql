-- The admin's view of every tenant's workflow runs, newest first (GET /v1/workflow-runs with the admin token).
CREATE INDEX workflow_runs_by_time ON workflow_runs (created_at DESC, id DESC);

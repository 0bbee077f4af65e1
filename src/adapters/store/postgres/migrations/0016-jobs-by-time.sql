-- The admin's view of every tenant's jobs, newest first (GET /v1/jobs with the admin token).
CREATE INDEX jobs_by_time ON jobs (created_at DESC, id DESC);

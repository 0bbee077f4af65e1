-- Each job counts its own events: a transition's UPDATE hands out the next sequence number,
-- so appending an event is a plain insert (no max(seq) lookup).
ALTER TABLE jobs ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET event_seq = (SELECT coalesce(max(seq), 0) FROM job_events WHERE job_events.job_id = jobs.id);

-- Backpressure counts unfinished jobs from the queue table, which holds exactly those; the
-- jobs table no longer keeps an index of open jobs in step with every status change.
DROP INDEX jobs_open;

-- A job input of megabytes is stored as ~1/4 MB parts, each written in a transaction of its own
-- before the job's (SQLite copies a blob on the event loop: one 4 MB input held it 30-40 ms).
-- Parts whose job never committed (a crash in between, an idempotent replay) are swept by age.
CREATE TABLE job_input_parts (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_input_parts_by_age ON job_input_parts (created_at);

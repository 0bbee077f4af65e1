-- Routed calls of `auto` aliases and their ratings (POST /v1/feedback), for `router train`.
-- vector: the learned scorer's input as JSON ({"named":{…},"ngrams":[…]}): hashed buckets and
-- feature values, never prompt text. Request ids are unique per tenant (clients may set them).
CREATE TABLE route_observations (
  tenant text NOT NULL,
  request_id text NOT NULL,
  key_id text NOT NULL,
  alias text NOT NULL,
  tier text NOT NULL,
  probability double precision,
  vector jsonb NOT NULL,
  ts bigint NOT NULL,
  PRIMARY KEY (tenant, request_id)
);
CREATE INDEX route_observations_ts ON route_observations (ts);
CREATE TABLE route_feedback (
  tenant text NOT NULL,
  request_id text NOT NULL,
  key_id text NOT NULL,
  rating text NOT NULL,
  should_have_been text,
  note text,
  ts bigint NOT NULL,
  PRIMARY KEY (tenant, request_id),
  FOREIGN KEY (tenant, request_id) REFERENCES route_observations (tenant, request_id) ON DELETE CASCADE
);
CREATE INDEX route_feedback_ts ON route_feedback (ts);

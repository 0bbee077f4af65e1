-- Shadow samples (core/ports/shadow-store.ts): one row per candidate run beside a primary
-- call. `fields` is JSON {path: agreed}; `example` JSON {primary, candidate} with personal
-- data masked, only on a disagreement. Costs are nano-dollars, times epoch ms.
CREATE TABLE shadow_samples (
  id bigserial PRIMARY KEY,
  shadow text NOT NULL,
  tenant text NOT NULL,
  request_id text NOT NULL,
  at bigint NOT NULL,
  outcome text NOT NULL,
  fields jsonb,
  similarity double precision,
  length_ratio double precision,
  primary_latency_ms double precision NOT NULL,
  candidate_latency_ms double precision,
  primary_cost_nanos bigint NOT NULL,
  candidate_cost_nanos bigint,
  example jsonb,
  error_code text
);
CREATE INDEX shadow_samples_by_shadow ON shadow_samples (shadow, id);
CREATE INDEX shadow_samples_by_time ON shadow_samples (at);

-- Drift observations (core/ports/drift-store.ts): per node, minute and series (alias, prompt
-- version, pipeline), quality counts and the sum of the inputs' embeddings (Float32, base64).
CREATE TABLE drift_observations (
  id bigserial PRIMARY KEY,
  at bigint NOT NULL,
  alias text NOT NULL,
  prompt_name text,
  prompt_version bigint,
  pipeline text,
  requests bigint NOT NULL,
  schema_checked bigint NOT NULL,
  schema_failures bigint NOT NULL,
  repairs bigint NOT NULL,
  refusals bigint NOT NULL,
  embedded bigint NOT NULL,
  embedding_sum text,
  embedder text NOT NULL
);
CREATE INDEX drift_observations_by_time ON drift_observations (at);

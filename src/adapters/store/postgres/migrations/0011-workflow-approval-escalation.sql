-- Approvals: who is asked (assignee), escalation after a timeout, and an ordered log of approval
-- changes (the SSE stream GET /v1/approvals/events resumes from its seq). Writers of one tenant's
-- events take a transaction lock on the tenant first, so seqs become visible in order.
ALTER TABLE workflow_approvals ADD COLUMN assignee TEXT;
ALTER TABLE workflow_approvals ADD COLUMN escalate_at BIGINT;
ALTER TABLE workflow_approvals ADD COLUMN escalate_to TEXT;
ALTER TABLE workflow_approvals ADD COLUMN escalated_at BIGINT;
CREATE INDEX workflow_approvals_escalation ON workflow_approvals (escalate_at) WHERE status = 'pending' AND escalated_at IS NULL AND escalate_at IS NOT NULL;

CREATE TABLE workflow_approval_events (
  seq BIGSERIAL PRIMARY KEY,
  tenant TEXT NOT NULL,
  approval_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX workflow_approval_events_by_tenant ON workflow_approval_events (tenant, seq);

-- Approvals: who is asked (assignee), escalation after a timeout, and a per-store ordered log of
-- approval changes (the SSE stream GET /v1/approvals/events resumes from its seq).
ALTER TABLE workflow_approvals ADD COLUMN assignee TEXT;
ALTER TABLE workflow_approvals ADD COLUMN escalate_at INTEGER;
ALTER TABLE workflow_approvals ADD COLUMN escalate_to TEXT;
ALTER TABLE workflow_approvals ADD COLUMN escalated_at INTEGER;
CREATE INDEX workflow_approvals_escalation ON workflow_approvals (escalate_at) WHERE status = 'pending' AND escalated_at IS NULL AND escalate_at IS NOT NULL;

CREATE TABLE workflow_approval_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  approval_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX workflow_approval_events_by_tenant ON workflow_approval_events (tenant, seq);

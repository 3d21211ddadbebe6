-- Approvals (SPEC §8), routing outcomes and IS_CHANGED bookkeeping (SPEC §5.2).

-- The values references had at the previous evaluation pass (for IS_CHANGED); the explicit
-- routing outcome (APPROVE/REJECT from a transition) if any; whether any work item was rejected;
-- the user who decided the most recent work item (runAs LAST_APPROVER).
ALTER TABLE runs ADD COLUMN observed ${json_type};
ALTER TABLE runs ADD COLUMN outcome VARCHAR(10);
ALTER TABLE runs ADD COLUMN rejected BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE runs ADD COLUMN last_approver_id VARCHAR(64);

-- The step that made a sibling DISCONTINUED by failing: retrying it restarts the sibling.
ALTER TABLE step_instances ADD COLUMN discontinued_by VARCHAR(36);

CREATE TABLE work_items (
  id VARCHAR(36) PRIMARY KEY,
  run_id VARCHAR(36) NOT NULL,
  submission_id VARCHAR(36) NOT NULL,
  step_instance_id VARCHAR(36) NOT NULL,
  step_name VARCHAR(100) NOT NULL,
  status VARCHAR(20) NOT NULL,
  assignee_type VARCHAR(20) NOT NULL,
  assignee_id VARCHAR(64) NOT NULL,
  decision VARCHAR(10),
  comments VARCHAR(4000),
  decided_by VARCHAR(64),
  decided_at TIMESTAMP WITH TIME ZONE,
  due_at TIMESTAMP WITH TIME ZONE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX work_items_by_assignee ON work_items (assignee_type, assignee_id, status, created_at);
CREATE INDEX work_items_by_run ON work_items (run_id);
CREATE INDEX work_items_by_status ON work_items (status, created_at, id);

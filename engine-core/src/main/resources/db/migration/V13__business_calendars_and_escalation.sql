-- Business calendars and escalation ladders (issue #15, docs/orchestrations.md "Business
-- calendars" and "Escalation").

-- One row per calendar; the definition is the BusinessCalendar JSON (engine-api). Read through the
-- caller's transaction, never cached: a change is seen by the next transaction on any node.
CREATE TABLE business_calendars (
  name VARCHAR(100) PRIMARY KEY,
  definition ${json_type} NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- An escalation rung's job (kind ESCALATION) belongs to one work item and one rung of its step's
-- ladder; the item's rung jobs are deleted when it is decided or canceled.
ALTER TABLE jobs ADD COLUMN work_item_id VARCHAR(36);
ALTER TABLE jobs ADD COLUMN rung INT;
CREATE INDEX jobs_by_work_item ON jobs (work_item_id);

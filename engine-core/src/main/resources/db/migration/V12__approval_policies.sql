-- Several approvers per approval step (issue #15): which approver of the step's definition a work
-- item belongs to (0-based, in definition order), its level in a MANAGER_CHAIN (1 = the
-- submitter's manager), and the step attempt that created it (a retried step starts its tally
-- afresh). Items created before this migration belong to approver 0 of attempt 1.
ALTER TABLE work_items ADD COLUMN approver_index INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE work_items ADD COLUMN chain_level INTEGER;
ALTER TABLE work_items ADD COLUMN step_attempt INTEGER DEFAULT 1 NOT NULL;

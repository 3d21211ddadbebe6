-- Who may see a run (RunAudience, docs/security.md): its submitter and whoever decided one of its
-- work items. Without these, those branches of the visibility filter scan the tables.
CREATE INDEX submissions_by_submitter ON submissions (submitter_id, created_at, id);
CREATE INDEX work_items_by_decider ON work_items (decided_by);

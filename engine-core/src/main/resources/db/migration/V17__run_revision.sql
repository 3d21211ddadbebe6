-- The run aggregate's revision: every transaction that writes a run's rows (runs, submissions,
-- stage_instances, step_instances, work_items) sets it one higher, under the run's row lock. A node
-- keeps the runs it wrote in memory and uses one again only when the revision it reads with the
-- run's lock is the one it cached (docs/architecture.md, "The run aggregate").
ALTER TABLE runs ADD COLUMN revision BIGINT DEFAULT 0 NOT NULL;

-- The answer each evaluation flow gave at the run's latest evaluation pass that ran one, with its
-- inputs and time (SPEC §5.5: explain shows "the evaluation flow's last answer and when it ran").
ALTER TABLE runs ADD COLUMN evaluations ${json_type};

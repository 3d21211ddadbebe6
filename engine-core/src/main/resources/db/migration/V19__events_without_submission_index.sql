-- Events are no longer indexed by submission (issue 11). A submission has exactly one run, so the
-- event feed's submission filter goes through the run (EventService: the submission's run_id,
-- then events_by_run). The index cost a B-tree write for every event on the hand-off path: on H2
-- 7 KiB of every ~140 KiB commit (benchmarks/README.md, "Events without a submission index").
DROP INDEX events_by_submission;

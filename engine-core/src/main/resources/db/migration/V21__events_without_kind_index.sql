-- Events are no longer indexed by kind (issue 11). The readers that filter by kind read a range of
-- sequences and test the kind on each event there: the notification feed and the webhook fan-out
-- read a bounded range already, and the event feed's kind filter without a run or submission reads
-- at most EventService.SCAN_WINDOW sequences per page. The index cost a B-tree write for every
-- event on the hand-off path, one tail leaf per kind: on H2 18.6 KiB of every ~200 KiB chunk at
-- steady state (benchmarks/README.md, "Events without a kind index").
DROP INDEX events_by_kind;

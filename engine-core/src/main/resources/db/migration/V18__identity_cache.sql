-- Identity values of the tables written on every hand-off or request, cached 1000 at a time on H2
-- (${identity_cache}; issue 11). H2 keeps an identity column's next value in its system table and
-- rewrites it each time the cached values run out — 32 by default — in a commit of the system
-- session, which with WRITE_DELAY=0 is one more store of every page changed since the last one
-- (a chunk written, like a commit of its own). With
-- 8–9 identity values per submission that was one extra store every ~4 submissions; with 1000, one
-- every ~110. Ids stay increasing in insertion order (H2's cache is one per database); a crash may
-- leave a gap of up to 1000 (nothing relies on ids without gaps: events are ordered by their
-- sequence, and by id only among those not yet numbered).
-- PostgreSQL keeps its default of 1 (${identity_cache} = 1 there, no change): its cache is per
-- connection, so larger values would give ids that no longer increase in insertion order across
-- connections, which the event sequencer's "ORDER BY id" relies on.
ALTER TABLE events ALTER COLUMN id SET CACHE ${identity_cache};
ALTER TABLE audit_entries ALTER COLUMN id SET CACHE ${identity_cache};
ALTER TABLE webhook_deliveries ALTER COLUMN id SET CACHE ${identity_cache};
ALTER TABLE idempotency_keys ALTER COLUMN id SET CACHE ${identity_cache};

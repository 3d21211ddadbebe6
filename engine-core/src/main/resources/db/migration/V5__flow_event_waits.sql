-- Waits of paused flow interviews on named events (SPEC §6.2 Wait, §6.4). One row per resume path
-- of the Wait a job's interview stopped at; publishing an event deletes the rows of the jobs it
-- resumes, and a job resumed by its timer deletes its own rows first: whichever trigger deletes
-- them first wins.
CREATE TABLE flow_event_waits (
  job_id VARCHAR(36) NOT NULL,
  event_name VARCHAR(200) NOT NULL,
  correlation_key VARCHAR(500) NOT NULL,
  path VARCHAR(100) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX flow_event_waits_by_event ON flow_event_waits (event_name, correlation_key);
CREATE INDEX flow_event_waits_by_job ON flow_event_waits (job_id);

-- The event that resumed a job's interview ({"name": ..., "payload": {...}}), until its segment runs.
ALTER TABLE jobs ADD COLUMN resume_event ${json_type};

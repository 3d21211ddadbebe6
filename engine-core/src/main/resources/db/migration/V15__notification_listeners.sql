-- The position of each plugin notification listener in the event feed (docs/plugins.md,
-- "Notification listeners"). A node owns a listener's deliveries while its lease lasts (taken and
-- renewed in short transactions that lock the row); "delivered_sequence" is advanced after each
-- delivered event, so that a restart or another node goes on after the last one delivered (at
-- least once). "attempts" counts the failed attempts at the next event; "next_attempt_at" is when
-- the next one is due after a failure.
CREATE TABLE notification_cursors (
  listener_id VARCHAR(200) PRIMARY KEY,
  delivered_sequence BIGINT NOT NULL,
  attempts INT NOT NULL,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error VARCHAR(4000),
  lease_owner VARCHAR(64),
  lease_until TIMESTAMP WITH TIME ZONE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

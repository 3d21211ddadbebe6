-- Short-lived, single-purpose tickets that authenticate an event stream (GET /api/v1/events/stream
-- ?ticket=) where a browser's EventSource cannot send an Authorization header. Only the SHA-256
-- of a ticket is stored; any node can redeem it until it expires. Expired rows are deleted when
-- new tickets are issued.
CREATE TABLE event_stream_tickets (
  ticket_hash VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX event_stream_tickets_by_expiry ON event_stream_tickets (expires_at);

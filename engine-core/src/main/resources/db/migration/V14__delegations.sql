-- Delegation and out-of-office (issue #15; docs/security.md "Delegation and out-of-office").
-- At most one delegation per user: while the clock is within [valid_from, valid_until) (either end
-- open when NULL) and the delegate is an active user, the delegate may decide the work items
-- assigned to the user directly (assignee_type USER). Read by SQL at decision and inbox time, never
-- copied into work items, so a change applies to open items at once; not part of the cached
-- directory index (its validity depends on the clock), so no directory revision bump.
CREATE TABLE directory_delegations (
  user_id     VARCHAR(64) NOT NULL PRIMARY KEY,
  delegate_id VARCHAR(64) NOT NULL,
  valid_from  TIMESTAMP WITH TIME ZONE,
  valid_until TIMESTAMP WITH TIME ZONE,
  set_by      VARCHAR(64) NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- "Whose items may this user decide now?": the inbox and every decision ask it.
CREATE INDEX directory_delegations_by_delegate ON directory_delegations (delegate_id);

-- The user on whose behalf a delegate decided (decided_by is the delegate); NULL otherwise.
ALTER TABLE work_items ADD COLUMN decided_on_behalf_of VARCHAR(64);

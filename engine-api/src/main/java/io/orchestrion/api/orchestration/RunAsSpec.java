package io.orchestrion.api.orchestration;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Whom a background step's flow runs as (SPEC §7).
 *
 * @param userId for {@link RunAsType#USER}
 * @param field for {@link RunAsType#RECORD_FIELD}: the record field holding a user id
 */
public record RunAsSpec(RunAsType type, Optional<String> userId, Optional<String> field) {
  public static final RunAsSpec AUTOMATED_PROCESS_USER =
      new RunAsSpec(RunAsType.AUTOMATED_PROCESS_USER, Optional.empty(), Optional.empty());

  public RunAsSpec {
    requireNonNull(type, "type is null");
    userId = userId == null ? Optional.empty() : userId;
    field = field == null ? Optional.empty() : field;
  }

  public enum RunAsType {
    AUTOMATED_PROCESS_USER,
    SUBMITTER,
    USER,
    RECORD_FIELD,
    LAST_APPROVER
  }
}

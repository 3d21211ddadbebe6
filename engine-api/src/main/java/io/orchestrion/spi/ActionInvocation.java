package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.flow.RunMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call of an action.
 *
 * @param inputs input values by name, converted to the declared types (absent optional inputs are
 *     missing)
 * @param idempotencyKey stable across re-runs of the same segment, distinct for every call (SPEC
 *     §9)
 * @param runningUserId the user the interview runs as
 * @param runMode the interview's effective run mode (never DEFAULT)
 */
public record ActionInvocation(
    Map<String, Object> inputs, String idempotencyKey, String runningUserId, RunMode runMode) {
  public ActionInvocation {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    requireNonNull(idempotencyKey, "idempotencyKey is null");
    requireNonNull(runningUserId, "runningUserId is null");
    requireNonNull(runMode, "runMode is null");
  }
}

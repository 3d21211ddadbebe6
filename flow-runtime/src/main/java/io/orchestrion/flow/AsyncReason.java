package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

/**
 * An element that makes a flow run asynchronously (SPEC §4).
 *
 * @param element the element's name
 * @param kind the element's kind: {@code Action}, {@code Subflow} or {@code Wait}
 */
public record AsyncReason(String element, String kind) {
  public AsyncReason {
    requireNonNull(element, "element is null");
    requireNonNull(kind, "kind is null");
  }

  @Override
  public String toString() {
    return kind + " element '" + element + "'";
  }
}

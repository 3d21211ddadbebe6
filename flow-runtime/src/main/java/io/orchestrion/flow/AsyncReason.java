package io.orchestrion.flow;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An element that makes a flow run asynchronously (SPEC §4).
 *
 * @param element the element's name
 * @param kind the element's kind: {@code Action}, {@code Subflow} or {@code Wait}
 * @param placement where it sits when that matters to a reader, e.g. {@code inside Loop
 *     'Each_Line'} or {@code reached only on a fault path}
 */
public record AsyncReason(String element, String kind, Optional<String> placement) {
  public AsyncReason {
    requireNonNull(element, "element is null");
    requireNonNull(kind, "kind is null");
    placement = placement == null ? Optional.empty() : placement;
  }

  public AsyncReason(String element, String kind) {
    this(element, kind, Optional.empty());
  }

  @Override
  public String toString() {
    return kind
        + " element '"
        + element
        + "'"
        + placement.map(text -> " (" + text + ")").orElse("");
  }
}

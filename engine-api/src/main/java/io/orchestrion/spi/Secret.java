package io.orchestrion.spi;

import static java.util.Objects.requireNonNull;

/**
 * A named secret given to a plugin through its {@link PluginContext} (an API token, a password).
 * Its value is only returned by {@link #reveal()}: {@link #toString()} shows the name and {@code
 * ****}, so a secret that ends up in a log line, an exception message, an event or an explanation
 * by mistake shows no more than that. Deliberately not a record and not serializable, with no
 * JavaBean getters, so that neither string concatenation nor a JSON mapper prints the value.
 *
 * <p>Reveal it as late as possible (when building the request header that needs it) and never put
 * the revealed value into an action's outputs or an exception message.
 */
public final class Secret {
  /** What {@link #toString()} shows instead of the value. */
  public static final String REDACTED = "****";

  private final String name;
  private final String value;

  private Secret(String name, String value) {
    this.name = requireNonNull(name, "name is null");
    this.value = requireNonNull(value, "value is null");
  }

  /** A secret called {@code name} (as in {@code plugins.<id>.secrets.<name>}). */
  public static Secret of(String name, String value) {
    return new Secret(name, value);
  }

  public String name() {
    return name;
  }

  /** The secret value itself. */
  public String reveal() {
    return value;
  }

  /** {@code Secret[crm.token=****]}: never the value. */
  @Override
  public String toString() {
    return "Secret[" + name + "=" + REDACTED + "]";
  }
}

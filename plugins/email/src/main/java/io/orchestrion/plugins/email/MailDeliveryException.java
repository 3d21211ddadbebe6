package io.orchestrion.plugins.email;

import io.orchestrion.spi.Secret;

/**
 * A mail could not be sent (the engine retries the event later). Its message names the server and
 * the cause, never the password; it carries no cause, so that no library's exception (which might
 * hold a request or a credential) travels into the engine's logs.
 */
final class MailDeliveryException extends Exception {
  private static final long serialVersionUID = 1L;

  MailDeliveryException(String message, EmailSettings settings) {
    super(redact(message, settings), null, false, false);
  }

  /** {@code text} with every occurrence of the password replaced by {@code ****}. */
  static String redact(String text, EmailSettings settings) {
    return settings
        .password()
        .map(Secret::reveal)
        .filter(password -> !password.isEmpty())
        .map(password -> text.replace(password, Secret.REDACTED))
        .orElse(text);
  }
}

package io.orchestrion.plugins.email;

import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plugin's settings (see the module's README). Without {@code smtp.host} the plugin sends
 * nothing; with it, {@code from} and {@code console.url} are required. Every problem is reported at
 * once, each naming its setting; a message never contains a secret's value.
 *
 * @param password the secret {@code smtp.password}; present exactly when {@code username} is
 * @param timeout connect, read and write time-out of the SMTP connection, each
 * @param consoleUrl the server's base URL, without a trailing slash ({@code https://orchestrion
 *     .example.com}); links go to {@code <consoleUrl>/console/#/...}
 */
record EmailSettings(
    String host,
    int port,
    boolean startTls,
    Optional<String> username,
    Optional<Secret> password,
    String from,
    String consoleUrl,
    Duration timeout,
    Map<MailTemplate, MailTemplate.Text> templates) {
  static final int DEFAULT_PORT = 25;
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
  static final String PASSWORD = "smtp.password";

  private static final Set<String> KEYS =
      Set.of(
          "smtp.host",
          "smtp.port",
          "smtp.starttls",
          "smtp.username",
          "smtp.timeout",
          "from",
          "console.url");

  /**
   * The settings, or empty when {@code smtp.host} is not set (and nothing else is).
   *
   * @throws IllegalArgumentException listing every problem, each naming its setting
   */
  static Optional<EmailSettings> parse(PluginContext context) {
    List<String> problems = new ArrayList<>();
    for (String key : context.settings().keySet()) {
      if (!KEYS.contains(key) && !key.startsWith("templates.")) {
        problems.add(
            context.configurationKey(key)
                + ": is not a setting of this plugin (known: "
                + String.join(", ", KEYS.stream().sorted().toList())
                + ", templates.<template>.subject|body)");
      }
    }
    for (String name : context.secrets().keySet()) {
      if (!name.equals(PASSWORD)) {
        problems.add(
            context.configurationKey(PluginContext.SECRETS_PREFIX + name)
                + ": is not a secret of this plugin (known: "
                + PASSWORD
                + ")");
      }
    }
    Optional<String> host = context.setting("smtp.host").map(String::strip);
    if (host.isEmpty()) {
      if (problems.isEmpty() && context.settings().isEmpty() && context.secrets().isEmpty()) {
        return Optional.empty();
      }
      problems.add(
          context.describe("smtp.host")
              + " is missing: the plugin sends mail only with an SMTP server");
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    if (host.get().isEmpty()) {
      problems.add(context.configurationKey("smtp.host") + ": is blank");
    }
    int port = port(context, problems);
    boolean startTls = bool(context, "smtp.starttls", problems);
    Optional<String> username = context.setting("smtp.username").filter(value -> !value.isBlank());
    Optional<Secret> password = context.secret(PASSWORD);
    if (username.isPresent() && password.isEmpty()) {
      problems.add(
          "Secret " + context.describe(PluginContext.SECRETS_PREFIX + PASSWORD) + " is missing");
    }
    if (username.isEmpty() && password.isPresent()) {
      problems.add(
          context.describe("smtp.username") + " is missing: the password needs a user name");
    }
    String from = context.setting("from").map(String::strip).orElse("");
    if (from.isEmpty()) {
      problems.add(context.describe("from") + " is missing: the sender's address");
    } else if (!from.contains("@")) {
      problems.add(context.configurationKey("from") + ": '" + from + "' is not an e-mail address");
    }
    String consoleUrl = consoleUrl(context, problems);
    Duration timeout = timeout(context, problems);
    Map<MailTemplate, MailTemplate.Text> templates = templates(context, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return Optional.of(
        new EmailSettings(
            host.get(), port, startTls, username, password, from, consoleUrl, timeout, templates));
  }

  /** {@code host:port}, for messages. */
  String server() {
    return host + ":" + port;
  }

  private static int port(PluginContext context, List<String> problems) {
    Optional<String> value = context.setting("smtp.port");
    if (value.isEmpty()) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(value.get().strip());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(
        context.configurationKey("smtp.port") + ": '" + value.get() + "' is not a port (1-65535)");
    return DEFAULT_PORT;
  }

  private static boolean bool(PluginContext context, String key, List<String> problems) {
    String value =
        context.setting(key).map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse("false");
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(context.configurationKey(key) + ": '" + value + "' is not true or false");
        yield false;
      }
    };
  }

  private static String consoleUrl(PluginContext context, List<String> problems) {
    String value = context.setting("console.url").map(String::strip).orElse("");
    if (value.isEmpty()) {
      problems.add(
          context.describe("console.url")
              + " is missing: the server's URL, for the links to the console");
      return "";
    }
    try {
      URI uri = new URI(value);
      if (uri.isAbsolute()
          && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null) {
        return value.replaceAll("/+$", "");
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(
        context.configurationKey("console.url")
            + ": '"
            + value
            + "' is not an http(s) URL such as https://orchestrion.example.com");
    return "";
  }

  private static Duration timeout(PluginContext context, List<String> problems) {
    Optional<String> value = context.setting("smtp.timeout");
    if (value.isEmpty()) {
      return DEFAULT_TIMEOUT;
    }
    try {
      Duration timeout = Duration.parse(value.get().strip());
      if (!timeout.isNegative() && !timeout.isZero() && timeout.compareTo(MAX_TIMEOUT) <= 0) {
        return timeout;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    problems.add(
        context.configurationKey("smtp.timeout")
            + ": '"
            + value.get()
            + "' is not an ISO-8601 duration from PT0.001S to "
            + MAX_TIMEOUT
            + " (e.g. PT10S)");
    return DEFAULT_TIMEOUT;
  }

  private static Map<MailTemplate, MailTemplate.Text> templates(
      PluginContext context, List<String> problems) {
    Map<MailTemplate, MailTemplate.Text> templates = new EnumMap<>(MailTemplate.class);
    for (String name : context.names("templates")) {
      Optional<MailTemplate> template = MailTemplate.named(name);
      if (template.isEmpty()) {
        problems.add(
            context.configurationKey("templates." + name)
                + ": is not a template (known: "
                + String.join(", ", MailTemplate.names())
                + ")");
      }
    }
    for (MailTemplate template : MailTemplate.values()) {
      MailTemplate.Text text = template.defaultText();
      String prefix = "templates." + template.templateName() + ".";
      for (String key : context.settings().keySet()) {
        if (key.startsWith(prefix)
            && !key.equals(prefix + "subject")
            && !key.equals(prefix + "body")) {
          problems.add(context.configurationKey(key) + ": is not a setting (subject or body)");
        }
      }
      String subject = context.setting(prefix + "subject").orElse(text.subject());
      String body = context.setting(prefix + "body").orElse(text.body());
      for (String unknown : MailTemplate.unknownPlaceholders(subject + "\n" + body)) {
        problems.add(
            context.configurationKey(prefix + "subject|body")
                + ": unknown placeholder {"
                + unknown
                + "} (known: "
                + String.join(", ", MailTemplate.PLACEHOLDERS)
                + ")");
      }
      templates.put(template, new MailTemplate.Text(subject, body));
    }
    return templates;
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "EmailSettings[server="
        + server()
        + ", startTls="
        + startTls
        + ", username="
        + username.orElse("-")
        + ", password="
        + password.map(secret -> Secret.REDACTED).orElse("-")
        + ", from="
        + from
        + ", consoleUrl="
        + consoleUrl
        + ", timeout="
        + timeout
        + "]";
  }
}

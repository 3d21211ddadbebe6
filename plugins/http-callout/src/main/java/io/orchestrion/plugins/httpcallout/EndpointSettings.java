package io.orchestrion.plugins.httpcallout;

import io.orchestrion.api.object.DataType;
import io.orchestrion.plugins.httpcallout.Endpoint.HeaderTemplate;
import io.orchestrion.plugins.httpcallout.Endpoint.OutputMapping;
import io.orchestrion.spi.ActionParameter;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the endpoints from the plugin's settings (see the module's README), reporting every problem
 * at once, each naming its setting; a message never contains a secret's value.
 */
final class EndpointSettings {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_RETRIES = 2;
  static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
  static final int MAX_RETRIES = 10;
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> ENDPOINT_KEYS =
      Set.of("url", "method", "description", "inputs", "outputs", "timeout", "retries", "backoff");
  private static final Pattern ENDPOINT_NAME = Pattern.compile("[a-z0-9]+");
  private static final Pattern PARAMETER =
      Pattern.compile("([A-Za-z][A-Za-z0-9_]*)\\s*:\\s*([A-Z]+)(\\[])?(\\?)?");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  /** Headers that java.net.http sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final PluginContext context;
  private final List<String> problems = new ArrayList<>();

  private EndpointSettings(PluginContext context) {
    this.context = context;
  }

  /**
   * The endpoints, in the order of their names.
   *
   * @throws IllegalArgumentException listing every problem, each naming its setting
   */
  static List<Endpoint> parse(PluginContext context) {
    EndpointSettings settings = new EndpointSettings(context);
    List<Endpoint> endpoints = settings.endpoints();
    if (!settings.problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", settings.problems));
    }
    return endpoints;
  }

  private List<Endpoint> endpoints() {
    for (String key : context.settings().keySet()) {
      if (!key.equals("allow") && !key.startsWith("endpoints.")) {
        problem(key, "is not a setting of this plugin (known: allow, endpoints.<name>.*)");
      }
    }
    Set<String> names = context.names("endpoints");
    List<AllowedBase> allowList = allowList(!names.isEmpty());
    List<Endpoint> endpoints = new ArrayList<>();
    for (String name : names) {
      endpoint(name, allowList).ifPresent(endpoints::add);
    }
    return endpoints;
  }

  private List<AllowedBase> allowList(boolean needed) {
    Optional<String> allow = context.setting("allow");
    if (allow.isEmpty()) {
      if (needed) {
        problem("allow", "is missing: list the base URLs that endpoints may call, comma-separated");
      }
      return List.of();
    }
    List<AllowedBase> bases = new ArrayList<>();
    for (String entry : allow.get().split(",")) {
      String text = entry.trim();
      if (text.isEmpty()) {
        continue;
      }
      AllowedBase.parse(text)
          .ifPresentOrElse(
              bases::add,
              () ->
                  problem(
                      "allow",
                      "entry '%s' is no absolute http or https URL without user info, query or fragment"
                          .formatted(text)));
    }
    return bases;
  }

  private Optional<Endpoint> endpoint(String name, List<AllowedBase> allowList) {
    String prefix = "endpoints." + name + ".";
    int before = problems.size();
    if (!ENDPOINT_NAME.matcher(name).matches()) {
      problem("endpoints." + name, "endpoint names are lower-case letters and digits");
    }
    for (String key : context.settings().keySet()) {
      if (key.startsWith(prefix)) {
        String rest = key.substring(prefix.length());
        if (!ENDPOINT_KEYS.contains(rest) && !rest.matches("header\\.[a-z0-9]+")) {
          problem(
              key,
              "is not an endpoint setting (known: url, method, description, inputs, outputs,"
                  + " header.<n>, timeout, retries, backoff)");
        }
      }
    }
    URI url = url(prefix + "url", allowList);
    String method =
        context.setting(prefix + "method").orElse("POST").trim().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      problem(prefix + "method", "'%s' is not one of %s".formatted(method, sorted(METHODS)));
    }
    List<ActionParameter> inputs =
        context
            .setting(prefix + "inputs")
            .map(text -> inputs(prefix + "inputs", text))
            .orElse(List.of());
    List<OutputMapping> outputs =
        context
            .setting(prefix + "outputs")
            .map(text -> outputs(prefix + "outputs", text))
            .orElse(List.of());
    List<HeaderTemplate> headers = headers(prefix);
    Duration timeout = duration(prefix + "timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT, false);
    Duration backoff = duration(prefix + "backoff", DEFAULT_BACKOFF, MAX_BACKOFF, true);
    int retries = retries(prefix + "retries");
    if (problems.size() > before) {
      return Optional.empty();
    }
    String description =
        context.setting(prefix + "description").orElse("Calls %s %s".formatted(method, url));
    return Optional.of(
        new Endpoint(
            name, description, url, method, inputs, outputs, headers, timeout, retries, backoff));
  }

  private URI url(String key, List<AllowedBase> allowList) {
    Optional<String> text = context.setting(key);
    if (text.isEmpty()) {
      problem(key, "is missing");
      return URI.create("http://invalid/");
    }
    URI url;
    try {
      url = new URI(text.get().trim());
    } catch (URISyntaxException e) {
      problem(key, "'%s' is no URL: %s".formatted(text.get(), e.getReason()));
      return URI.create("http://invalid/");
    }
    if (!url.isAbsolute()
        || url.getHost() == null
        || url.getRawUserInfo() != null
        || url.getRawFragment() != null
        || !(url.getScheme().equalsIgnoreCase("http")
            || url.getScheme().equalsIgnoreCase("https"))) {
      problem(
          key,
          "'%s' is no absolute http or https URL without user info or fragment".formatted(url));
    } else if (allowList.stream().noneMatch(base -> base.allows(url))) {
      problem(
          key,
          "'%s' is not under any base URL of %s".formatted(url, context.configurationKey("allow")));
    }
    return url;
  }

  private List<ActionParameter> inputs(String key, String text) {
    List<ActionParameter> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String item : items(text)) {
      parameter(key, item)
          .ifPresent(
              parameter -> {
                if (!names.add(parameter.name())) {
                  problem(key, "input '%s' is declared twice".formatted(parameter.name()));
                }
                inputs.add(parameter);
              });
    }
    return inputs;
  }

  private List<OutputMapping> outputs(String key, String text) {
    List<OutputMapping> outputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String item : items(text)) {
      int equals = item.indexOf('=');
      if (equals < 0) {
        problem(key, "'%s' has no JSON pointer: write name:TYPE=/path/in/response".formatted(item));
        continue;
      }
      String pointer = item.substring(equals + 1).trim();
      if (!pointer.isEmpty() && !pointer.startsWith("/")) {
        problem(key, "'%s' is no JSON pointer: it starts with '/'".formatted(pointer));
        continue;
      }
      parameter(key, item.substring(0, equals).trim())
          .ifPresent(
              parameter -> {
                if (!names.add(parameter.name())) {
                  problem(key, "output '%s' is declared twice".formatted(parameter.name()));
                }
                outputs.add(new OutputMapping(parameter, pointer));
              });
    }
    return outputs;
  }

  /** {@code name:TYPE}, {@code name:TYPE[]} (a collection), with {@code ?} if optional. */
  private Optional<ActionParameter> parameter(String key, String item) {
    Matcher matcher = PARAMETER.matcher(item);
    if (!matcher.matches()) {
      problem(
          key,
          "'%s' is not name:TYPE (with [] for a collection and ? when optional)".formatted(item));
      return Optional.empty();
    }
    DataType type;
    try {
      type = DataType.valueOf(matcher.group(2));
    } catch (IllegalArgumentException e) {
      type = null;
    }
    if (type == null || type == DataType.RECORD) {
      problem(
          key,
          "'%s' is not a type an HTTP call can carry (TEXT, NUMBER, CURRENCY, BOOLEAN, DATE,"
                  .formatted(matcher.group(2))
              + " DATETIME, PICKLIST, USER, LOOKUP)");
      return Optional.empty();
    }
    return Optional.of(
        new ActionParameter(
            matcher.group(1), type, matcher.group(3) != null, matcher.group(4) == null));
  }

  private List<HeaderTemplate> headers(String prefix) {
    List<HeaderTemplate> headers = new ArrayList<>();
    for (String number : context.names(prefix + "header")) {
      String key = prefix + "header." + number;
      String text = context.setting(key).orElse("");
      int colon = text.indexOf(':');
      String name = colon < 0 ? "" : text.substring(0, colon).trim();
      if (!HEADER_NAME.matcher(name).matches()) {
        problem(key, "is not 'Header-Name: value'");
        continue;
      }
      if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        problem(key, "header '%s' is set by the HTTP client itself".formatted(name));
        continue;
      }
      String template = text.substring(colon + 1).trim();
      Map<String, Secret> secrets = new LinkedHashMap<>();
      Matcher placeholder = PLACEHOLDER.matcher(template);
      while (placeholder.find()) {
        String secretName = placeholder.group(1);
        context
            .secret(secretName)
            .ifPresentOrElse(
                secret -> secrets.put(secretName, secret),
                () ->
                    problem(
                        key,
                        "names secret '%s', which is not configured (%s)"
                            .formatted(
                                secretName,
                                context.describe(PluginContext.SECRETS_PREFIX + secretName))));
      }
      headers.add(new HeaderTemplate(name, template, secrets));
    }
    return headers;
  }

  private Duration duration(String key, Duration defaultValue, Duration max, boolean zeroAllowed) {
    Optional<String> text = context.setting(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    Duration value;
    try {
      value = Duration.parse(text.get().trim());
    } catch (DateTimeParseException e) {
      problem(key, "'%s' is no ISO-8601 duration such as PT2S".formatted(text.get()));
      return defaultValue;
    }
    if (value.isNegative() || (value.isZero() && !zeroAllowed) || value.compareTo(max) > 0) {
      problem(
          key,
          "%s must be %s and at most %s"
              .formatted(value, zeroAllowed ? "zero or more" : "positive", max));
    }
    return value;
  }

  private int retries(String key) {
    Optional<String> text = context.setting(key);
    if (text.isEmpty()) {
      return DEFAULT_RETRIES;
    }
    try {
      int retries = Integer.parseInt(text.get().trim());
      if (retries >= 0 && retries <= MAX_RETRIES) {
        return retries;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(key, "'%s' is no whole number from 0 to %d".formatted(text.get(), MAX_RETRIES));
    return DEFAULT_RETRIES;
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private void problem(String key, String message) {
    problems.add(context.configurationKey(key) + ": " + message);
  }

  /** A base URL of the allow-list: same scheme, host and port, and a path under its path. */
  record AllowedBase(String scheme, String host, int port, String path) {
    static Optional<AllowedBase> parse(String text) {
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
      if (!uri.isAbsolute()
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || !(uri.getScheme().equalsIgnoreCase("http")
              || uri.getScheme().equalsIgnoreCase("https"))) {
        return Optional.empty();
      }
      String path = uri.normalize().getRawPath();
      if (path == null || path.isEmpty()) {
        path = "/";
      }
      return Optional.of(
          new AllowedBase(
              uri.getScheme().toLowerCase(Locale.ROOT),
              uri.getHost().toLowerCase(Locale.ROOT),
              port(uri),
              path.endsWith("/") ? path : path + "/"));
    }

    boolean allows(URI url) {
      String urlPath = url.normalize().getRawPath();
      String candidate = urlPath == null || urlPath.isEmpty() ? "/" : urlPath;
      return url.getScheme().equalsIgnoreCase(scheme)
          && url.getHost().equalsIgnoreCase(host)
          && port(url) == port
          && (candidate.startsWith(path) || (candidate + "/").equals(path))
          && !candidate.contains("/../");
    }

    private static int port(URI uri) {
      if (uri.getPort() >= 0) {
        return uri.getPort();
      }
      return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
  }
}

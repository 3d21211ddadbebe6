package io.orchestrion.server.http;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Typed access to query parameters and headers; bad values are 400s naming the parameter. */
public final class QueryParameters {
  private QueryParameters() {}

  public static Optional<String> string(RoutingContext context, String name) {
    List<String> values = context.queryParam(name);
    if (values.isEmpty() || values.get(0).isBlank()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw invalid(name, "must be given once, was given " + values.size() + " times");
    }
    return Optional.of(values.get(0).trim());
  }

  public static int integer(
      RoutingContext context, String name, int defaultValue, int min, int max) {
    long value = longValue(context, name, defaultValue, Long.MIN_VALUE);
    if (value < min || value > max) {
      throw invalid(name, "must be between " + min + " and " + max + ", was " + value);
    }
    return (int) value;
  }

  public static long longValue(RoutingContext context, String name, long defaultValue, long min) {
    long value = string(context, name).map(text -> parseLong(name, text)).orElse(defaultValue);
    if (value < min) {
      throw invalid(name, "must be at least " + min + ", was " + value);
    }
    return value;
  }

  public static <T> Optional<T> parsed(
      RoutingContext context, String name, Function<String, T> parser, String expected) {
    return string(context, name)
        .map(
            text -> {
              try {
                return parser.apply(text);
              } catch (IllegalArgumentException e) {
                throw invalid(name, "must be " + expected + ", was '" + text + "'");
              }
            });
  }

  /**
   * The values of a query parameter that may be repeated and may list comma-separated names of
   * {@code type}'s constants; empty when it is absent.
   */
  public static <E extends Enum<E>> Set<E> enumValues(
      RoutingContext context, String name, Class<E> type) {
    Set<E> values = EnumSet.noneOf(type);
    for (String given : context.queryParam(name)) {
      for (String text : given.split(",", -1)) {
        try {
          values.add(Enum.valueOf(type, text.trim()));
        } catch (IllegalArgumentException e) {
          throw invalid(
              name,
              "must name one of "
                  + Arrays.toString(type.getEnumConstants())
                  + ", was '"
                  + text
                  + "'");
        }
      }
    }
    return values;
  }

  /** A path parameter that must be a non-negative integer. */
  public static int pathInteger(RoutingContext context, String name) {
    String text = context.pathParam(name);
    try {
      int value = Integer.parseInt(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "Path parameter '" + name + "' must be a non-negative integer, was '" + text + "'",
        List.of(new Problem("path." + name, "must be a non-negative integer")));
  }

  private static long parseLong(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw invalid(name, "must be an integer, was '" + text + "'");
    }
  }

  private static OrchestrionException invalid(String name, String message) {
    return new OrchestrionException(
        StandardErrorCode.INVALID_REQUEST,
        "Query parameter '" + name + "' " + message,
        List.of(new Problem("query." + name, message)));
  }
}

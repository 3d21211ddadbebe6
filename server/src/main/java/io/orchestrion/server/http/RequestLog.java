package io.orchestrion.server.http;

import io.orchestrion.engine.api.RunLogContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The first handler of every request: takes the caller's {@code X-Request-Id} (or makes one),
 * returns it on the response, puts it in the logging context ({@code requestId}) while the request
 * is handled, and writes one access log line when the response has been sent (logger {@value
 * #ACCESS_LOGGER}).
 */
public final class RequestLog implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";
  public static final String ACCESS_LOGGER = "io.orchestrion.access";

  /** A caller's id is kept when it is short and plain; anything else is replaced. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

  private static final Logger access = LoggerFactory.getLogger(ACCESS_LOGGER);

  @Inject
  public RequestLog() {}

  @Override
  public void handle(RoutingContext context) {
    String given = context.request().getHeader(HEADER);
    String requestId =
        given != null && ACCEPTED.matcher(given).matches() ? given : UUID.randomUUID().toString();
    context.put(MDC_KEY, requestId);
    context.response().putHeader(HEADER, requestId);
    long started = System.nanoTime();
    context.addEndHandler(
        ended -> {
          MDC.put(MDC_KEY, requestId);
          try {
            access.info(
                "{} {} {} {} ms {} bytes",
                context.request().method(),
                context.request().uri(),
                context.response().getStatusCode(),
                (System.nanoTime() - started) / 1_000_000,
                context.response().bytesWritten());
          } finally {
            MDC.remove(MDC_KEY);
          }
        });
    MDC.put(MDC_KEY, requestId);
    try {
      context.next();
    } finally {
      MDC.remove(MDC_KEY);
      RunLogContext.clear();
    }
  }
}

package io.orchestrion.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestrion.server.testing.TestServer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OrchestrionServerShutdownLogTest {

  @Test
  void closingTheServerLogsWhenItStartsStoppingAndWhenItHasStoppedWithThePort() {
    Logger logger = (Logger) LoggerFactory.getLogger(OrchestrionServer.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      int port;
      try (TestServer server =
          TestServer.startH2(UnaryOperator.identity(), UnaryOperator.identity())) {
        port = server.server().port();
        appender.list.clear();
      }

      assertThat(appender.list)
          .filteredOn(event -> event.getLevel() == Level.INFO)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsSubsequence(
              "Stopping the server on port " + port, "Stopped the server on port " + port);
      assertThat(port).isPositive();
    } finally {
      logger.detachAppender(appender);
    }
  }
}

package io.orchestrion.server.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads Server-Sent Events frames from a stream, as a fetch-based client would. */
final class SseReader implements AutoCloseable {
  /** One dispatched frame; {@code id} is null when the frame had none. */
  record Frame(String id, String event, String data) {}

  private final BufferedReader reader;
  private final InputStream input;
  int heartbeats;

  SseReader(InputStream input) {
    this.input = input;
    this.reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
  }

  /** The next frame with data, or null at the end of the stream. Counts heartbeat comments. */
  Frame next() throws IOException {
    String id = null;
    String event = "message";
    StringBuilder data = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Frame(id, event, data.toString());
        }
        id = null;
        event = "message";
        continue;
      }
      if (line.startsWith(":")) {
        if (line.contains("heartbeat")) {
          heartbeats++;
        }
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring(6));
      }
    }
    return null;
  }

  /** Reads until {@code count} more heartbeat comments have arrived (and no data frame). */
  void awaitHeartbeats(int count) throws IOException {
    int target = heartbeats + count;
    String line;
    while (heartbeats < target && (line = reader.readLine()) != null) {
      if (line.startsWith(":") && line.contains("heartbeat")) {
        heartbeats++;
      } else if (line.startsWith("data: ")) {
        throw new AssertionError("a data frame where only heartbeats were expected: " + line);
      }
    }
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}

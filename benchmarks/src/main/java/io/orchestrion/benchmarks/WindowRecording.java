package io.orchestrion.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of the measured window only, with JDK's {@code profile} settings, when {@code
 * -Dbench.jfr=FILE} is set: a recording of the whole process would mix in the warm-up, whose JIT
 * and class loading are not the engine's steady state. Sum it with {@code bin/benchmark profile
 * FILE} ({@link ProfileSummary}).
 */
final class WindowRecording implements AutoCloseable {
  static final String PROPERTY = "bench.jfr";

  private final Recording recording;
  private final Path file;

  private WindowRecording(Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  /**
   * Starts recording if {@value #PROPERTY} names a file; otherwise a recording that does nothing.
   */
  static WindowRecording start() {
    String target = System.getProperty(PROPERTY, "");
    if (target.isBlank()) {
      return new WindowRecording(null, null);
    }
    Path file = Path.of(target).toAbsolutePath();
    if (!Files.isDirectory(file.getParent())) {
      // Found now rather than when the window is over and its figures would be lost.
      throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + target + ": directory " + file.getParent() + " does not exist");
    }
    Recording recording;
    try {
      recording = new Recording(Configuration.getConfiguration("profile"));
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("JFR's profile settings cannot be read: " + e, e);
    }
    recording.setToDisk(true);
    recording.start();
    return new WindowRecording(recording, file);
  }

  @Override
  public void close() {
    if (recording == null) {
      return;
    }
    try (recording) {
      recording.stop();
      recording.dump(file);
    } catch (IOException e) {
      throw new UncheckedIOException("the window's JFR recording cannot be written to " + file, e);
    }
  }
}

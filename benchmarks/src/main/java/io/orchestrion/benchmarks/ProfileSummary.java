package io.orchestrion.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sums a JFR recording's CPU samples ({@code jdk.ExecutionSample}) or, with {@code --allocation},
 * its allocation samples ({@code jdk.ObjectAllocationSample}, weighted by the bytes each stands
 * for) the way benchmarks/README.md's profile tables read: the share of samples whose stack
 * contains a frame of each group (a sample counts once per group however many of its frames match),
 * the top self frames, and the engine's methods by the samples that contain them. JFR keeps the
 * leaf end of a stack deeper than the recording's stack depth, so record with {@code
 * -XX:FlightRecorderOptions:stackdepth=256}.
 */
@Command(
    name = "profile-summary",
    mixinStandardHelpOptions = true,
    description = "Summarises the CPU or allocation samples of a JFR recording by frame group.")
public final class ProfileSummary implements Callable<Integer> {
  /** A named set of frames: a sample belongs to it when any frame of its stack matches. */
  record Group(String name, Predicate<String> frame) {
    static Group inPackage(String name, String prefix) {
      return new Group(name, frame -> frame.startsWith(prefix));
    }

    static Group method(String name, String qualifiedMethod) {
      return new Group(name, qualifiedMethod::equals);
    }
  }

  /** The groups the README's tables use; a frame is {@code package.Class.method}. */
  static final List<Group> GROUPS =
      List.of(
          Group.inPackage("inside H2", "org.h2."),
          Group.method("H2 commit (JdbcConnection.commit)", "org.h2.jdbc.JdbcConnection.commit"),
          Group.method(
              "of it page serialisation (MVStore.storeNow)", "org.h2.mvstore.MVStore.storeNow"),
          Group.method(
              "H2 page serialisation on H2's own thread (FileStore.serializeAndStore)",
              "org.h2.mvstore.FileStore.serializeAndStore"),
          Group.method("H2 MVStore.readPage", "org.h2.mvstore.MVStore.readPage"),
          Group.inPackage("H2 parser", "org.h2.command.Parser."),
          Group.method("H2 prepareStatement", "org.h2.jdbc.JdbcConnection.prepareStatement"),
          Group.inPackage("PostgreSQL driver", "org.postgresql."),
          Group.inPackage("HikariCP", "com.zaxxer.hikari."),
          Group.inPackage("Jackson", "com.fasterxml.jackson."),
          Group.inPackage("Vert.x and Netty", "io.vertx."),
          Group.inPackage("flow runtime", "io.orchestrion.flow."),
          Group.inPackage("engine", "io.orchestrion.engine."),
          Group.method(
              "of it the H2 file's housekeeping",
              "io.orchestrion.engine.persistence.H2FileHousekeeping.runOnce"),
          Group.inPackage("benchmark driver and counting proxy", "io.orchestrion.benchmarks."));

  @Parameters(index = "0", description = "the .jfr file")
  Path recording;

  @Option(
      names = "--top",
      defaultValue = "12",
      description = "how many self frames and engine methods to list (default ${DEFAULT-VALUE})")
  int top;

  @Option(
      names = "--allocation",
      description = "allocation samples weighted by bytes instead of CPU samples")
  boolean allocation;

  @Option(
      names = "--last",
      defaultValue = "0",
      description =
          "only the samples of the recording's last SECONDS (a measured window at the end of a"
              + " whole-process recording); 0 = all (default)")
  double lastSeconds;

  @Option(
      names = "--threads",
      defaultValue = "",
      description = "only samples of threads whose name starts with this (default: all)")
  String threadPrefix;

  /** The counts of one recording. */
  static final class Tally {
    long samples;
    long weight;
    final Map<String, Long> groups = new LinkedHashMap<>();
    final Map<String, Long> selfFrames = new HashMap<>();
    final Map<String, Long> engineMethods = new HashMap<>();
    final Map<String, Long> threads = new HashMap<>();

    Tally() {
      GROUPS.forEach(group -> groups.put(group.name(), 0L));
    }

    /** Adds one sample of this weight (1 for a CPU sample) whose frames are listed leaf first. */
    void add(List<String> frames, long sampleWeight) {
      add("", frames, sampleWeight);
    }

    /** Like {@link #add(List, long)}, for a sample of the thread so named. */
    void add(String threadName, List<String> frames, long sampleWeight) {
      if (frames.isEmpty()) {
        return;
      }
      samples++;
      weight += sampleWeight;
      threads.merge(threadGroup(threadName), sampleWeight, Long::sum);
      selfFrames.merge(frames.get(0), sampleWeight, Long::sum);
      for (Group group : GROUPS) {
        if (frames.stream().anyMatch(group.frame())) {
          groups.merge(group.name(), sampleWeight, Long::sum);
        }
      }
      Set<String> engine = new HashSet<>();
      for (String frame : frames) {
        // A lambda's generated class adds nothing to the method that wrote the lambda.
        if (frame.startsWith("io.orchestrion.engine.")
            && !frame.contains("$$Lambda")
            && engine.add(frame)) {
          engineMethods.merge(frame, sampleWeight, Long::sum);
        }
      }
    }

    void print(PrintStream out, int top) {
      out.printf(Locale.ROOT, "%,d samples, total weight %,d%n%n", samples, weight);
      out.println("| share of samples containing | |");
      out.println("|---|---|");
      groups.forEach((name, count) -> out.printf(Locale.ROOT, "| %s | %s |%n", name, share(count)));
      out.println();
      printTop(out, "top self frames", selfFrames, top);
      printTop(out, "engine methods by samples containing them", engineMethods, top);
      printTop(out, "threads (numbers left out of their names)", threads, top);
    }

    /** A thread's name without its number: the engine's workers, H2's threads, a pool's threads. */
    static String threadGroup(String threadName) {
      String group = threadName.replaceAll("[-#_ ]?\\d+$", "");
      return group.isEmpty() ? "(unnamed)" : group;
    }

    private void printTop(PrintStream out, String title, Map<String, Long> counts, int top) {
      out.println("| " + title + " | |");
      out.println("|---|---|");
      counts.entrySet().stream()
          .sorted(
              Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                  .thenComparing(Map.Entry.comparingByKey()))
          .limit(top)
          .forEach(
              entry ->
                  out.printf(
                      Locale.ROOT, "| `%s` | %s |%n", entry.getKey(), share(entry.getValue())));
      out.println();
    }

    String share(long count) {
      return weight == 0 ? "0.0 %" : String.format(Locale.ROOT, "%.1f %%", 100.0 * count / weight);
    }
  }

  static final String CPU_SAMPLE = "jdk.ExecutionSample";
  static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";

  /** The samples of {@code eventType} from {@code since} on, of threads named with the prefix. */
  static Tally read(Path recording, String eventType, String threadPrefix, Instant since)
      throws IOException {
    Tally tally = new Tally();
    boolean weighted = eventType.equals(ALLOCATION_SAMPLE);
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals(eventType)
            || event.getStartTime().isBefore(since)) {
          continue;
        }
        RecordedThread thread =
            weighted ? event.getThread("eventThread") : event.getThread("sampledThread");
        String threadName = thread == null ? "" : String.valueOf(thread.getJavaName());
        if (!threadName.startsWith(threadPrefix)) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack != null) {
          tally.add(threadName, frames(stack), weighted ? event.getLong("weight") : 1);
        }
      }
    }
    return tally;
  }

  private static List<String> frames(RecordedStackTrace stack) {
    List<String> frames = new ArrayList<>(stack.getFrames().size());
    for (RecordedFrame frame : stack.getFrames()) {
      RecordedMethod method = frame.getMethod();
      if (method != null) {
        frames.add(method.getType().getName() + "." + method.getName());
      }
    }
    return frames;
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (top < 0 || lastSeconds < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--top and --last must not be negative: --top " + top + ", --last " + lastSeconds);
    }
    Tally tally;
    try {
      Instant since =
          lastSeconds > 0 ? end(recording).minusNanos((long) (lastSeconds * 1e9)) : Instant.MIN;
      tally = read(recording, allocation ? ALLOCATION_SAMPLE : CPU_SAMPLE, threadPrefix, since);
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot read " + recording + " as a JFR recording: " + e);
      return 1;
    }
    tally.print(System.out, top);
    return 0;
  }

  /** When the recording's last event ended. */
  static Instant end(Path recording) throws IOException {
    Instant end = Instant.MIN;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        Instant eventEnd = file.readEvent().getEndTime();
        if (eventEnd.isAfter(end)) {
          end = eventEnd;
        }
      }
    }
    return end;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProfileSummary()).execute(args));
  }
}

package io.orchestrion.benchmarks;

/**
 * How much history {@link HistorySeeder} puts into the database before a measured run: finished
 * submissions (APPROVED, with everything the engine wrote for them) and waiting ones (IN_PROGRESS
 * at an approval no one decides during the run). Written {@code FINISHED:WAITING} on the command
 * line.
 */
record HistorySize(long finished, long waiting) {
  static final HistorySize NONE = new HistorySize(0, 0);

  HistorySize {
    if (finished < 0 || waiting < 0) {
      throw new IllegalArgumentException("history sizes must not be negative");
    }
  }

  /** Parses {@code FINISHED:WAITING}, e.g. {@code 1000000:100000}. */
  static HistorySize parse(String text) {
    String[] parts = text.strip().split(":", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("history must be FINISHED:WAITING, e.g. 1000000:100000");
    }
    try {
      return new HistorySize(
          Long.parseLong(parts[0].strip().replace("_", "")),
          Long.parseLong(parts[1].strip().replace("_", "")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "history must be FINISHED:WAITING with whole numbers, e.g. 1000000:100000", e);
    }
  }

  boolean isEmpty() {
    return finished == 0 && waiting == 0;
  }

  @Override
  public String toString() {
    return finished + ":" + waiting;
  }
}

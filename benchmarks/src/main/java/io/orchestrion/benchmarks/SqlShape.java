package io.orchestrion.benchmarks;

import io.orchestrion.engine.queue.JobTable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the counting pool ({@link CountingDataSource}) recognises in a statement's text: its verb,
 * the code path it marks, and which job statement it is. Worked out once per distinct text and
 * kept: lower-casing the text at every execution (the events' INSERT is about 700 characters) was a
 * fifth of all the bytes the benchmark's JVM allocated at steady state, on the engine's threads, so
 * counted as the engine's CPU (JFR allocation samples, 2026-12-07).
 *
 * @param verb the first word, upper case ({@code SELECT}, {@code INSERT}, ...)
 * @param sequencer a numbering transaction's lock of the sequencer row (not a {@code SKIP LOCKED}
 *     try)
 * @param jobPoll the workers' poll for due jobs
 * @param leaseRenewal a job lease's renewal
 * @param jobRun the first statement of a job's run: its load, or its fenced write
 * @param insertsSubmission a submission's insert
 * @param decidesWorkItem a work item's decision
 * @param watched which job statement it is, for the hand-off timing
 */
record SqlShape(
    String verb,
    boolean sequencer,
    boolean jobPoll,
    boolean leaseRenewal,
    boolean jobRun,
    boolean insertsSubmission,
    boolean decidesWorkItem,
    Watched watched) {

  /**
   * Distinct texts kept at most; the engine uses fewer than a hundred, and a text past the bound is
   * worked out again at each use rather than growing the map.
   */
  private static final int MAX_KEPT = 4096;

  private static final Map<String, SqlShape> KEPT = new ConcurrentHashMap<>();

  private static final String FENCED_JOB_DELETE = JobTable.DELETE_ENDED.toLowerCase(Locale.ROOT);

  /** Job statements whose parameters the counting pool reads. */
  enum Watched {
    NONE,
    /** {@code INSERT INTO jobs (id, kind, ...)}: parameter 1 the id, 2 the kind. */
    JOB_INSERT,
    /** The job runner reading its jobs: every string parameter but the last (the owner) an id. */
    JOB_LOAD,
    /** A job's fenced removal: parameter 1 its id. */
    JOB_DELETE,
    /** A paused job's fenced update: parameter 6 its id. */
    JOB_PAUSE;

    /** The parameter that names the job, for a fenced write. */
    int jobIdIndex() {
      return this == JOB_DELETE ? 1 : 6;
    }
  }

  static SqlShape of(String sql) {
    SqlShape kept = KEPT.get(sql);
    if (kept != null) {
      return kept;
    }
    SqlShape shape = workOut(sql);
    if (KEPT.size() < MAX_KEPT) {
      KEPT.putIfAbsent(sql, shape);
    }
    return shape;
  }

  private static SqlShape workOut(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    String stripped = lower.stripLeading();
    int end = 0;
    while (end < stripped.length() && Character.isLetter(stripped.charAt(end))) {
      end++;
    }
    return new SqlShape(
        stripped.substring(0, end).toUpperCase(Locale.ROOT),
        lower.startsWith("select last_sequence from event_sequencer where id = 1 for update")
            && !lower.contains("skip locked"),
        lower.contains("from jobs where due_at"),
        lower.startsWith("update jobs set lease_until"),
        isJobLoad(lower) || isJobFence(lower),
        lower.startsWith("insert into submissions"),
        lower.startsWith("update work_items set status"),
        watched(stripped));
  }

  private static Watched watched(String stripped) {
    if (stripped.startsWith("insert into jobs")) {
      return Watched.JOB_INSERT;
    }
    if (isJobDelete(stripped)) {
      return Watched.JOB_DELETE;
    }
    if (isJobFence(stripped)) {
      return Watched.JOB_PAUSE;
    }
    return isJobLoad(stripped) ? Watched.JOB_LOAD : Watched.NONE;
  }

  /**
   * The job runner's first statement of a job run: it reads the job it was handed (or, under group
   * commit, the jobs: {@code id IN (?, ...)}), and its lease owner last.
   */
  private static boolean isJobLoad(String lowerCaseSql) {
    return lowerCaseSql.contains("from jobs where id = ? and lease_owner")
        || (lowerCaseSql.contains("from jobs where id in (")
            && lowerCaseSql.contains("and lease_owner = ?"));
  }

  /**
   * A job runner's fenced write of its job: its removal when the job ends (on PostgreSQL inside its
   * run's {@code UPDATE}: {@code WITH ended AS (DELETE FROM jobs ...) UPDATE runs ...}), or its
   * stored interview when it pauses. A job this node handed to its own worker in memory ({@code
   * LocalHandOffs}) is not read first, so this is the first statement that names it.
   */
  private static boolean isJobFence(String lowerCaseSql) {
    return isJobDelete(lowerCaseSql)
        || (lowerCaseSql.startsWith("update jobs set interview = ?")
            && lowerCaseSql.contains("where id = ? and lease_token = ?"));
  }

  /**
   * A job's fenced removal ({@link JobTable#DELETE_ENDED}), alone or riding in its run's update;
   * either way the job's id is parameter 1.
   */
  private static boolean isJobDelete(String lowerCaseSql) {
    return lowerCaseSql.contains(FENCED_JOB_DELETE);
  }
}

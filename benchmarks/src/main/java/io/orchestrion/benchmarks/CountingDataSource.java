package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import io.orchestrion.benchmarks.SqlShape.Watched;
import io.orchestrion.engine.persistence.ForwardingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * A data source that counts, at the JDBC level, what the engine sends to the database: statement
 * executions (a batch of n counts n), JDBC calls that reach the database (a batch counts one),
 * commits, rollbacks and savepoint operations; each transaction is attributed at its commit to the
 * {@link CodePath} that ran it. It wraps the engine's pool only: the benchmark's own queries go
 * through other connections and are never counted here.
 *
 * <p>Attribution reads the transaction's SQL and its thread: the engine's background loops are
 * recognised by the tables and predicates they use (see {@link CodePath}), submissions by the
 * driver's thread names. Built on {@link java.lang.reflect.Proxy} so that it needs no JDBC library
 * and passes everything else through unchanged.
 */
final class CountingDataSource extends ForwardingDataSource {
  /** Which part of the engine a transaction belongs to. */
  enum CodePath {
    /**
     * The submit call (driver threads, or the server's request threads in HTTP mode): submission,
     * run, first evaluation pass, sync steps.
     */
    SUBMIT("submit"),
    /** The driver approving a work item (approval scenario): decision and evaluation pass. */
    DECISION("work-item decision"),
    /** Another transaction of an HTTP request (HTTP mode): the caller's lookup, say. */
    HTTP_OTHER("HTTP request, other"),
    /**
     * A worker running an async step's job (or a group of jobs): flow, result, event, next pass.
     */
    ASYNC_STEP("async step job (worker)"),
    /**
     * The event sequencer numbering committed events (shared by all runs): the events of hand-offs
     * that found the sequencer row locked; a hand-off that numbers its own events at insert takes
     * the row with SKIP LOCKED (and numbers the fallbacks it knows of) on its own path.
     */
    SEQUENCER("event sequencer"),
    /** A worker polling for due jobs with a free or expired lease. */
    JOB_POLL("job poll"),
    /** A worker renewing the leases of its running jobs. */
    LEASE_RENEWAL("lease renewal"),
    /** Anything else (reads by views, setup, retries). */
    OTHER("other");

    final String label;

    CodePath(String label) {
      this.label = label;
    }
  }

  /** Counts of one code path. */
  record PathCounts(long transactions, long commits, long rollbacks, long statements, long calls) {}

  /** Everything counted since the last {@link #reset()}. */
  record Snapshot(
      Map<CodePath, PathCounts> paths,
      long statements,
      long calls,
      long commits,
      long rollbacks,
      long savepointOperations,
      Map<String, Long> statementsByVerb,
      Map<String, Long> otherTransactions) {
    Snapshot {
      paths = Map.copyOf(paths);
      statementsByVerb = Map.copyOf(statementsByVerb);
      otherTransactions = Map.copyOf(otherTransactions);
    }
  }

  /** The server's request threads (its request and evaluation lanes). */
  static final String HTTP_THREAD_PREFIX = "orchestrion-http-";

  private final String driverThreadPrefix;
  private final HandoffTimes handoffs = new HandoffTimes();
  private volatile Counters counters = new Counters();

  CountingDataSource(DataSource delegate, String driverThreadPrefix) {
    super(delegate);
    this.driverThreadPrefix = requireNonNull(driverThreadPrefix, "driverThreadPrefix is null");
  }

  /** Starts counting afresh; transactions open at this moment count in full in the new period. */
  void reset() {
    counters = new Counters();
    handoffs.reset();
  }

  /** The asynchronous hand-offs (step job committed to job read by a worker) since the reset. */
  HandoffTimes.Latencies handoffs() {
    return handoffs.snapshot();
  }

  Snapshot snapshot() {
    return counters.snapshot();
  }

  @Override
  public Connection getConnection() throws SQLException {
    long asked = System.nanoTime();
    Connection connection = delegate().getConnection();
    return wrap(connection, asked, System.nanoTime());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    long asked = System.nanoTime();
    Connection connection = delegate().getConnection(username, password);
    return wrap(connection, asked, System.nanoTime());
  }

  /** The pool's connection, counted; {@code asked} and {@code got} are when it was asked for. */
  @Override
  protected Connection wrap(Connection connection) {
    long now = System.nanoTime();
    return wrap(connection, now, now);
  }

  private Connection wrap(Connection connection, long asked, long got) {
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection, asked, got));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * With {@code -Dbench.trace=N}, the first N transactions that end are printed to standard error,
   * statement by statement, with their thread and code path: where a path's statements come from.
   */
  private static final int TRACE = Integer.getInteger("bench.trace", 0);

  private static final java.util.concurrent.atomic.AtomicInteger TRACED =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The work of the transaction currently open on one connection. */
  private static final class OpenTransaction {
    final java.util.List<String> traced = TRACE > 0 ? new java.util.ArrayList<>() : null;
    long statements;
    long calls;
    String threadName = "";
    String firstSql = "";
    boolean sequencer;
    boolean jobPoll;
    boolean leaseRenewalOnly = true;
    boolean jobRun;
    boolean insertsSubmission;
    boolean decidesWorkItem;
    // The asynchronous steps' jobs this transaction inserted: handed off once it commits.
    final List<String> flowJobs = new ArrayList<>();

    boolean isEmpty() {
      return calls == 0;
    }

    void record(String sql, long executions) {
      if (calls == 0) {
        threadName = Thread.currentThread().getName();
        firstSql = sql;
      }
      statements += executions;
      calls++;
      if (traced != null) {
        traced.add((executions == 1 ? "" : executions + " x ") + sql.replaceAll("\\s+", " "));
      }
      SqlShape shape = SqlShape.of(sql);
      sequencer |= shape.sequencer();
      jobPoll |= shape.jobPoll();
      leaseRenewalOnly &= shape.leaseRenewal();
      jobRun |= shape.jobRun();
      insertsSubmission |= shape.insertsSubmission();
      decidesWorkItem |= shape.decidesWorkItem();
    }

    CodePath path(String driverThreadPrefix) {
      if (sequencer) {
        return CodePath.SEQUENCER;
      }
      if (jobPoll) {
        return CodePath.JOB_POLL;
      }
      if (calls > 0 && leaseRenewalOnly) {
        return CodePath.LEASE_RENEWAL;
      }
      if (jobRun) {
        return CodePath.ASYNC_STEP;
      }
      if (threadName.startsWith(driverThreadPrefix)) {
        return CodePath.SUBMIT;
      }
      if (threadName.startsWith(Approver.THREAD_PREFIX)) {
        return CodePath.DECISION;
      }
      if (threadName.startsWith(HTTP_THREAD_PREFIX)) {
        // HTTP mode: the server's request threads run both submissions and decisions.
        return insertsSubmission
            ? CodePath.SUBMIT
            : decidesWorkItem ? CodePath.DECISION : CodePath.HTTP_OTHER;
      }
      return CodePath.OTHER;
    }
  }

  /** Thread-safe counters; replaced as a whole by {@link #reset()}. */
  private static final class Counters {
    final Map<CodePath, LongAdder[]> paths = new EnumMap<>(CodePath.class);
    final LongAdder savepointOperations = new LongAdder();
    final Map<String, LongAdder> verbs = new ConcurrentHashMap<>();
    final Map<String, LongAdder> other = new ConcurrentHashMap<>();

    Counters() {
      for (CodePath path : CodePath.values()) {
        // transactions, commits, rollbacks, statements, calls
        LongAdder[] adders = new LongAdder[5];
        for (int i = 0; i < adders.length; i++) {
          adders[i] = new LongAdder();
        }
        paths.put(path, adders);
      }
    }

    void verb(String sql, long executions) {
      verbs.computeIfAbsent(SqlShape.of(sql).verb(), key -> new LongAdder()).add(executions);
    }

    void end(OpenTransaction transaction, boolean committed, String driverThreadPrefix) {
      CodePath path = transaction.path(driverThreadPrefix);
      if (transaction.traced != null && TRACED.incrementAndGet() <= TRACE) {
        StringBuilder text =
            new StringBuilder("trace | ")
                .append(path.label)
                .append(" | ")
                .append(transaction.threadName)
                .append(committed ? " | COMMIT" : " | ROLLBACK");
        transaction.traced.forEach(sql -> text.append("\n    ").append(sql));
        System.err.println(text);
      }
      LongAdder[] adders = paths.get(path);
      adders[0].increment();
      adders[committed ? 1 : 2].increment();
      adders[3].add(transaction.statements);
      adders[4].add(transaction.calls);
      if (path == CodePath.OTHER) {
        String key =
            transaction.threadName.replaceAll("[0-9]+$", "N")
                + ": "
                + abbreviate(transaction.firstSql);
        other.computeIfAbsent(key, ignored -> new LongAdder()).increment();
      }
    }

    Snapshot snapshot() {
      Map<CodePath, PathCounts> counts = new EnumMap<>(CodePath.class);
      long statements = 0;
      long calls = 0;
      long commits = 0;
      long rollbacks = 0;
      for (Map.Entry<CodePath, LongAdder[]> entry : paths.entrySet()) {
        LongAdder[] a = entry.getValue();
        PathCounts path =
            new PathCounts(a[0].sum(), a[1].sum(), a[2].sum(), a[3].sum(), a[4].sum());
        counts.put(entry.getKey(), path);
        statements += path.statements();
        calls += path.calls();
        commits += path.commits();
        rollbacks += path.rollbacks();
      }
      Map<String, Long> byVerb = new java.util.TreeMap<>();
      verbs.forEach((verb, adder) -> byVerb.put(verb, adder.sum()));
      Map<String, Long> others = new java.util.TreeMap<>();
      other.forEach((key, adder) -> others.put(key, adder.sum()));
      return new Snapshot(
          counts, statements, calls, commits, rollbacks, savepointOperations.sum(), byVerb, others);
    }

    private static String abbreviate(String sql) {
      String oneLine = sql.replaceAll("\\s+", " ").strip();
      return oneLine.length() <= 70 ? oneLine : oneLine.substring(0, 70) + "...";
    }
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection connection;
    private OpenTransaction open = new OpenTransaction();

    // When the engine asked the pool for this connection and got it (System.nanoTime()).
    private final long asked;
    private final long got;

    ConnectionHandler(Connection connection, long asked, long got) {
      this.connection = connection;
      this.asked = asked;
      this.got = got;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "commit" -> {
          Object result = CountingDataSource.invoke(connection, method, args);
          if (!open.flowJobs.isEmpty()) {
            handoffs.committed(open.flowJobs, System.nanoTime());
          }
          endTransaction(true);
          return result;
        }
        case "rollback" -> {
          Object result = CountingDataSource.invoke(connection, method, args);
          if (args == null || args.length == 0) {
            endTransaction(false);
          } else {
            counters.savepointOperations.increment();
          }
          return result;
        }
        case "setSavepoint", "releaseSavepoint" -> {
          counters.savepointOperations.increment();
          return CountingDataSource.invoke(connection, method, args);
        }
        case "close" -> {
          // A pooled connection goes back with its transaction ended by the engine; anything
          // left open is the pool's to roll back, and is counted as a rollback here.
          if (!open.isEmpty()) {
            endTransaction(false);
          }
          return CountingDataSource.invoke(connection, method, args);
        }
        case "createStatement", "prepareStatement", "prepareCall" -> {
          Statement statement = (Statement) CountingDataSource.invoke(connection, method, args);
          String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
          return wrapStatement(statement, sql);
        }
        case "unwrap" -> {
          Class<?> type = (Class<?>) args[0];
          return type.isInstance(proxy) ? proxy : connection.unwrap(type);
        }
        case "isWrapperFor" -> {
          Class<?> type = (Class<?>) args[0];
          return type.isInstance(proxy) || connection.isWrapperFor(type);
        }
        default -> {
          return CountingDataSource.invoke(connection, method, args);
        }
      }
    }

    private void endTransaction(boolean committed) {
      // An empty commit (nothing executed) is still a commit the engine asked for; counting it
      // keeps the JDBC figures comparable with the database's.
      counters.end(open, committed, driverThreadPrefix);
      open = new OpenTransaction();
    }

    void executed(String sql, long executions) {
      open.record(sql, executions);
      counters.verb(sql, executions);
    }

    private Statement wrapStatement(Statement statement, String preparedSql) {
      Class<?> type =
          statement instanceof CallableStatement
              ? CallableStatement.class
              : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
      return (Statement)
          Proxy.newProxyInstance(
              CountingDataSource.class.getClassLoader(),
              new Class<?>[] {type},
              new StatementHandler(this, statement, preparedSql));
    }
  }

  /** Which statements' parameters the hand-off measurement reads. */
  private final class StatementHandler implements InvocationHandler {
    private final ConnectionHandler connection;
    private final Statement statement;
    private final String preparedSql;
    private final Watched watched;
    private long batched;
    private String batchSql = "";
    private String jobId;
    private String jobKind;
    // JOB_LOAD: the string parameters by index; all but the last are job ids.
    private final TreeMap<Integer, String> loadParameters = new TreeMap<>();

    StatementHandler(ConnectionHandler connection, Statement statement, String preparedSql) {
      this.connection = connection;
      this.statement = statement;
      this.preparedSql = preparedSql;
      this.watched = preparedSql == null ? Watched.NONE : SqlShape.of(preparedSql).watched();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "setString" -> {
          if (watched == Watched.JOB_LOAD && args[0] instanceof Integer index) {
            loadParameters.put(index, (String) args[1]);
          } else if ((watched == Watched.JOB_DELETE || watched == Watched.JOB_PAUSE)
              && args[0] instanceof Integer index
              && index == watched.jobIdIndex()) {
            jobId = (String) args[1];
          } else if (watched == Watched.JOB_INSERT && args[0] instanceof Integer index) {
            if (index == 1) {
              jobId = (String) args[1];
            } else if (index == 2) {
              jobKind = (String) args[1];
            }
          }
          return CountingDataSource.invoke(statement, method, args);
        }
        case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" -> {
          String sql =
              args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
          if (watched == Watched.JOB_LOAD && loadParameters.size() > 1) {
            long now = System.nanoTime();
            for (String id : loadParameters.headMap(loadParameters.lastKey()).values()) {
              handoffs.started(id, now, connection.asked, connection.got);
            }
          } else if (watched == Watched.JOB_INSERT) {
            insertedJob();
          } else if ((watched == Watched.JOB_DELETE || watched == Watched.JOB_PAUSE)
              && jobId != null) {
            // A job carried in memory was not read: its run started when its transaction got
            // its connection (a job that was read was seen then already; this sighting is ignored).
            handoffs.started(jobId, connection.got, connection.asked, connection.got);
          }
          connection.executed(sql == null ? "" : sql, 1);
          return CountingDataSource.invoke(statement, method, args);
        }
        case "addBatch" -> {
          if (watched == Watched.JOB_INSERT) {
            insertedJob();
          }
          batched++;
          if (args != null && args.length == 1 && args[0] instanceof String s) {
            batchSql = s;
          }
          return CountingDataSource.invoke(statement, method, args);
        }
        case "clearBatch" -> {
          batched = 0;
          return CountingDataSource.invoke(statement, method, args);
        }
        case "executeBatch", "executeLargeBatch" -> {
          String sql = preparedSql != null ? preparedSql : batchSql;
          if (batched > 0) {
            connection.executed(sql, batched);
          }
          batched = 0;
          return CountingDataSource.invoke(statement, method, args);
        }
        case "unwrap" -> {
          Class<?> type = (Class<?>) args[0];
          return type.isInstance(proxy) ? proxy : statement.unwrap(type);
        }
        case "isWrapperFor" -> {
          Class<?> type = (Class<?>) args[0];
          return type.isInstance(proxy) || statement.isWrapperFor(type);
        }
        default -> {
          return CountingDataSource.invoke(statement, method, args);
        }
      }
    }

    private void insertedJob() {
      if (HandoffTimes.FLOW_JOB.equals(jobKind) && jobId != null) {
        connection.open.flowJobs.add(jobId);
      }
    }
  }
}

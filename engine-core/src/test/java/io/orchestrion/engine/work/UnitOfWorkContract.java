package io.orchestrion.engine.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.object.RecordData;
import io.orchestrion.api.object.SystemFields;
import io.orchestrion.engine.persistence.JdbcValues;
import io.orchestrion.engine.signals.WorkSignals;
import io.orchestrion.engine.testing.TestDatabaseKind;
import io.orchestrion.engine.testing.TestingClock;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UnitsOfWork} and {@link UnitOfWork} on each dialect: one clock reading and one record
 * store per command, a fresh unit of work per retried attempt, and commands under savepoints (for
 * group commit) whose failure undoes only their own writes and after-commit actions.
 */
abstract class UnitOfWorkContract {
  private final TestingClock clock = new TestingClock();
  private final WorkSignals signals = new WorkSignals();
  private final List<String> committed = new CopyOnWriteArrayList<>();
  private ProbeTable probe;
  private UnitsOfWork units;

  protected abstract TestDatabaseKind kind();

  @BeforeEach
  void open() {
    probe = ProbeTable.create(kind(), clock, signals);
    units = probe.units();
  }

  @AfterEach
  void close() {
    probe.close();
  }

  @Test
  void aFailingCommandUnderASavepointLeavesTheOtherCommandsWritesAndSignals() throws Exception {
    units.run(
        uow -> {
          uow.underSavepoint(first -> command(first, "first"));
          assertThatThrownBy(
                  () ->
                      uow.underSavepoint(
                          second -> {
                            command(second, "second");
                            throw new IllegalStateException("the second command fails");
                          }))
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("the second command fails");
          uow.underSavepoint(third -> command(third, "third"));
          // Inside the transaction, the failed command's row is gone already.
          assertThat(ProbeTable.names(uow)).containsExactly("first", "third");
        });

    assertThat(probe.committedNames()).containsExactly("first", "third");
    assertThat(committed).containsExactly("first", "third");
    assertThat(signals.takeJob(1, TimeUnit.SECONDS)).isEqualTo("job-first");
    assertThat(signals.takeJob(1, TimeUnit.SECONDS)).isEqualTo("job-third");
    assertThat(signals.takeJob(50, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aCommandWhoseStatementFailsLeavesTheTransactionUsable() throws Exception {
    // On PostgreSQL a failed statement aborts the transaction; the savepoint restores it.
    units.run(
        uow -> {
          uow.underSavepoint(first -> command(first, "first"));
          assertThatThrownBy(
                  () ->
                      uow.underSavepoint(
                          duplicate -> {
                            duplicate.afterCommit(() -> committed.add("duplicate"));
                            ProbeTable.insert(duplicate, "first");
                            return null;
                          }))
              .isInstanceOf(SQLException.class)
              .satisfies(e -> assertThat(JdbcValues.isUniqueViolation((SQLException) e)).isTrue());
          command(uow, "after");
        });

    assertThat(probe.committedNames()).containsExactly("after", "first");
    assertThat(committed).containsExactly("first", "after");
  }

  @Test
  void savepointsNest() throws Exception {
    units.run(
        uow ->
            uow.underSavepoint(
                outer -> {
                  command(outer, "outer");
                  assertThatThrownBy(
                          () ->
                              outer.underSavepoint(
                                  inner -> {
                                    command(inner, "inner");
                                    throw new IllegalArgumentException("inner fails");
                                  }))
                      .isInstanceOf(IllegalArgumentException.class);
                  return command(outer, "outer-2");
                }));

    assertThat(probe.committedNames()).containsExactly("outer", "outer-2");
    assertThat(committed).containsExactly("outer", "outer-2");
  }

  @Test
  void aFailureOutsideTheSavepointsRollsEverythingBack() {
    assertThatThrownBy(
            () ->
                units.run(
                    uow -> {
                      uow.underSavepoint(first -> command(first, "first"));
                      throw new IllegalStateException("the transaction fails");
                    }))
        .hasMessage("the transaction fails");

    assertThat(probe.committedNames()).isEmpty();
    assertThat(committed).isEmpty();
  }

  @Test
  void aCommandReadsTheClockOnceAndItsRecordStoreStampsWithThatReading() {
    Instant opened = clock.instant();
    RecordData note =
        units.call(
            uow -> {
              assertThat(uow.now()).isEqualTo(opened);
              clock.advance(Duration.ofMinutes(5));
              assertThat(uow.now()).isEqualTo(opened);
              assertThat(uow.records()).isSameAs(uow.records());
              RecordData inserted = uow.records().insert("Note", Map.of("Text", "a"), "user-1");
              clock.advance(Duration.ofMinutes(5));
              return uow.records()
                  .update(
                      "Note",
                      inserted.id().orElseThrow(),
                      inserted.version(),
                      Map.of("Text", "b"),
                      "user-1");
            });

    assertThat(note.fields())
        .containsEntry(SystemFields.CREATED_DATE, opened)
        .containsEntry(SystemFields.LAST_MODIFIED_DATE, opened);
  }

  @Test
  void aCommandUnderASavepointHasARecordStoreOfItsOwn() {
    units.run(
        uow -> {
          RecordData outside = uow.records().insert("Note", Map.of("Text", "a"), "user-1");
          uow.records()
              .update("Note", outside.id().orElseThrow(), 1, Map.of("Text", "b"), "user-1");
          int mark = uow.records().changeMark();
          uow.underSavepoint(
              command -> {
                assertThat(command.records()).isNotSameAs(uow.records());
                assertThat(command.now()).isEqualTo(uow.now());
                RecordData inside = command.records().insert("Note", Map.of("Text", "c"), "u");
                command
                    .records()
                    .update("Note", inside.id().orElseThrow(), 1, Map.of("Text", "d"), "u");
                assertThat(command.records().changedRecordKeys())
                    .containsExactly("Note/" + inside.id().orElseThrow());
                return null;
              });
          assertThat(uow.records().changedRecordKeys())
              .containsExactly("Note/" + outside.id().orElseThrow());
          assertThat(uow.records().changedRecordKeysSince(mark)).isEmpty();
        });
  }

  @Test
  void aRetriedAttemptGetsAFreshUnitOfWork() {
    List<UnitOfWork> attempts = new ArrayList<>();
    List<Instant> readings = new ArrayList<>();
    String result =
        units.call(
            uow -> {
              attempts.add(uow);
              readings.add(uow.now());
              command(uow, "attempt-" + attempts.size());
              if (attempts.size() == 1) {
                clock.advance(Duration.ofSeconds(1));
                throw new SQLException("serialization failure", "40001");
              }
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1)).isNotSameAs(attempts.get(0));
    assertThat(readings.get(1)).isEqualTo(readings.get(0).plusSeconds(1));
    assertThat(probe.committedNames()).containsExactly("attempt-2");
    assertThat(committed).containsExactly("attempt-2");
  }

  @Test
  void aUnitOfWorkRefusesAnotherInsideIt() {
    assertThatThrownBy(() -> units.run(uow -> units.run(inner -> command(inner, "nested"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already open");
    assertThat(probe.committedNames()).isEmpty();
  }

  @Test
  void theDirectoryIndexIsReadOncePerCommandUnlessTheCommandChangesTheDirectory() {
    units.run(
        uow -> {
          assertThat(uow.directoryIndex()).isSameAs(uow.directoryIndex());
          long revision = uow.directory().revision();
          try (Statement statement = uow.connection().createStatement()) {
            statement.executeUpdate(
                "UPDATE directory_revision SET revision = revision + 1 WHERE id = 1");
          }
          var before = uow.directoryIndex();
          uow.directoryChanged();
          // The revision is read once per transaction too, and again after the change is told.
          assertThat(uow.directory().revision()).isEqualTo(revision + 1);
          assertThat(uow.directoryIndex()).isNotSameAs(before);
        });
  }

  /** One small command: a row, an after-commit action and a job wake-up, all named. */
  private String command(UnitOfWork uow, String name) throws SQLException {
    ProbeTable.insert(uow, name);
    uow.afterCommit(() -> committed.add(name));
    uow.jobReadyAfterCommit("job-" + name);
    return name;
  }
}

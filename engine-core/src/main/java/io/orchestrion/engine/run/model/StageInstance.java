package io.orchestrion.engine.run.model;

import io.orchestrion.api.run.StageStatus;
import io.orchestrion.engine.orchestration.CompiledOrchestration;
import java.time.Instant;
import java.util.Optional;

/** One entry of a run into a stage (SPEC §3). Part of the {@link RunState} aggregate. */
public final class StageInstance {
  private final String id;
  private final String name;
  private final int stageIndex;
  private final int entryNumber;
  private final Instant startedAt;
  private StageStatus status;
  private Instant endedAt;
  private boolean isNew;
  private boolean changed;

  /** A stored stage instance ({@code endedAt} nullable); the recall stage has index -1. */
  public StageInstance(
      String id,
      String name,
      int stageIndex,
      int entryNumber,
      Instant startedAt,
      StageStatus status,
      Instant endedAt) {
    this.id = id;
    this.name = name;
    this.stageIndex = stageIndex;
    this.entryNumber = entryNumber;
    this.startedAt = startedAt;
    this.status = status;
    this.endedAt = endedAt;
  }

  static StageInstance entered(CompiledOrchestration.Stage stage, int entryNumber, Instant now) {
    StageInstance instance =
        new StageInstance(
            Ids.next(),
            stage.definition().name(),
            stage.index(),
            entryNumber,
            now,
            StageStatus.IN_PROGRESS,
            null);
    instance.isNew = true;
    return instance;
  }

  /** The compiled stage this instance runs: the recall stage has index -1. */
  public CompiledOrchestration.Stage compiledIn(CompiledOrchestration orchestration) {
    return isRecall()
        ? orchestration.recallStage().orElseThrow()
        : orchestration.stages().get(stageIndex);
  }

  public boolean isRecall() {
    return stageIndex < 0;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int stageIndex() {
    return stageIndex;
  }

  public int entryNumber() {
    return entryNumber;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public StageStatus status() {
    return status;
  }

  public Optional<Instant> endedAt() {
    return Optional.ofNullable(endedAt);
  }

  public boolean isNew() {
    return isNew;
  }

  public boolean isChanged() {
    return changed && !isNew;
  }

  void end(StageStatus status, Instant now) {
    this.status = status;
    this.endedAt = now;
    this.changed = true;
  }

  void reopen() {
    this.status = StageStatus.IN_PROGRESS;
    this.endedAt = null;
    this.changed = true;
  }

  void markPersisted() {
    isNew = false;
    changed = false;
  }
}

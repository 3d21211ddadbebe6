package io.orchestrion.testkit;

/**
 * Entry point of the kit's assertions for a snapshot taken earlier ({@link
 * TestEngine#snapshot(String)}); {@link TestEngine#assertThatRun(String)} takes one and starts
 * here.
 */
public final class OrchestrionAssertions {
  private OrchestrionAssertions() {}

  public static RunAssert assertThat(RunSnapshot snapshot) {
    return new RunAssert(snapshot);
  }
}

/**
 * A test kit for applications that embed the engine: {@link io.orchestrion.testkit.TestEngine} (a
 * real engine on in-memory H2 with a {@link io.orchestrion.testkit.VirtualClock}, every background
 * job run on the test's thread), the JUnit 5 {@link io.orchestrion.testkit.OrchestrionExtension}
 * with {@link io.orchestrion.testkit.Deploy}, and fluent assertions on runs ({@link
 * io.orchestrion.testkit.RunAssert}). See the module's README.
 */
package io.orchestrion.testkit;

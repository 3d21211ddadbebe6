/**
 * A test kit for plugin authors, shipped as the {@code orchestrion-engine-api} test-jar:
 * hand-written fakes of what the engine hands to plugin code ({@link
 * io.orchestrion.spi.testing.TestingConditionSetup}, {@link
 * io.orchestrion.spi.testing.TestingConditionContext}, {@link
 * io.orchestrion.spi.testing.TestingActionInvocation}) and {@link
 * io.orchestrion.spi.testing.PluginContract}, which checks a plugin against the rules the host
 * enforces when it loads plugins. The kit depends on the JDK and engine-api only, so it works with
 * any test framework; failures are {@link AssertionError}s.
 *
 * <p>Everything in this package is non-null unless documented otherwise: parameters, return values
 * and record components; "maybe" is {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.spi.testing;

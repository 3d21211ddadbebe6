/**
 * The reference syntax of orchestrations ({@code $Record.X}, {@code $Step.Y.status}, ...), parsed
 * in one place: {@link io.orchestrion.engine.references.Reference}. The compiler types references,
 * the evaluation pass resolves them, conditions list the steps they read. Depends on no other
 * engine package.
 */
package io.orchestrion.engine.references;

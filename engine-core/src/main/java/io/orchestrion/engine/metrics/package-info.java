/**
 * The engine's meters (Micrometer), documented in docs/operations.md. Non-null by default:
 * parameters, return values and record components.
 */
package io.orchestrion.engine.metrics;

/**
 * Test support for engine-core and the modules above it (shipped in engine-core's test-jar):
 * migrated databases on H2 and on an embedded PostgreSQL, and a settable clock. Non-null by
 * default.
 */
package io.orchestrion.engine.testing;

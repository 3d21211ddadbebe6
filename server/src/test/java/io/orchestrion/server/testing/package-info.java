/**
 * Test harness for the server: a real server on a free port and a small HTTP client. Non-null by
 * default.
 */
package io.orchestrion.server.testing;

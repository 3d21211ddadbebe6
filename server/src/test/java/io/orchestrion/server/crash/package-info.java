/**
 * Crash tests: the packaged server as a child process, killed with SIGKILL under load and restarted
 * on the same database. Non-null by default.
 */
package io.orchestrion.server.crash;

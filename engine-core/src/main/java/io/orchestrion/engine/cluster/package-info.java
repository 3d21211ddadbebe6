/**
 * io.orchestrion.engine.cluster: several nodes on one PostgreSQL — the notifications through which
 * nodes wake each other's workers (docs/deployment.md). Everything is non-null unless documented
 * otherwise.
 */
package io.orchestrion.engine.cluster;

/**
 * The run aggregate (docs/architecture.md, "The run aggregate"): {@link
 * io.orchestrion.engine.run.model.RunState} with its submission, stage instances, step instances
 * and work items. Its state changes only through the aggregate's transitions, each of which marks
 * the rows it changed; the run package's repository writes what changed. Depends on no engine
 * package above it (orchestration, queue and the api package only).
 */
package io.orchestrion.engine.run.model;

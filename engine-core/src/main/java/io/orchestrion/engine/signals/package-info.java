/**
 * In-process wake-ups between the engine's parts ({@link
 * io.orchestrion.engine.signals.WorkSignals}): a job committed with this node's lease, events
 * written. They only make work start sooner; the tables stay the only record of work. Depends on no
 * other engine package.
 */
package io.orchestrion.engine.signals;

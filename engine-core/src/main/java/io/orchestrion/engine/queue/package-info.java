/**
 * The {@code jobs} table as the run's side writes it: {@link io.orchestrion.engine.queue.JobKind},
 * {@link io.orchestrion.engine.queue.NewJob} and the one INSERT ({@link
 * io.orchestrion.engine.queue.JobTable}). Used by the run package (which schedules jobs) and the
 * jobs package (whose workers run them); depends only on persistence.
 */
package io.orchestrion.engine.queue;

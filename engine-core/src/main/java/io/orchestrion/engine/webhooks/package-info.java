/**
 * Webhooks: subscriptions, the outbox of deliveries filled from the event feed, and the workers
 * that send them (at least once, in order per run, with back-off and a dead letter). Non-null by
 * default: parameters, return values and record components.
 */
package io.orchestrion.engine.webhooks;

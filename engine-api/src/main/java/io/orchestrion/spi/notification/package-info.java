/**
 * io.orchestrion.spi.notification: listeners that plugins contribute to hear the engine's
 * notification events (SPEC §4) after they are committed, e.g. to send e-mail. The engine delivers
 * each listener's events in sequence order, at least once, outside any transaction, and retries a
 * listener that throws (docs/plugins.md, "Notification listeners"). Everything in this package is
 * non-null unless documented otherwise; "maybe" is {@link java.util.Optional}, "none" is an empty
 * collection.
 */
package io.orchestrion.spi.notification;

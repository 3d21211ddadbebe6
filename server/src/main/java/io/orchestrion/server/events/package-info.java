/**
 * Delivery of the event feed to clients: the Server-Sent Events stream with its tickets, and
 * webhooks delivered from the outbox. Non-null by default: parameters, return values and record
 * components.
 */
package io.orchestrion.server.events;

/**
 * Delivery of notification events to the plugins' listeners (docs/plugins.md, "Notification
 * listeners"): a durable position per listener, leased to one node at a time, advanced after each
 * delivered event in a transaction of its own; delivery itself runs with no transaction open.
 * Non-null by default: parameters, return values and record components.
 */
package io.orchestrion.engine.notifications;

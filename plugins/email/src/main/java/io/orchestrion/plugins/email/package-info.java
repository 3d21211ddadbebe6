/**
 * The {@code email} plugin: a notification listener that sends plain-text e-mail over SMTP (Jakarta
 * Mail, Eclipse Angus) when a work item is assigned, reassigned, reminded, escalated or decided and
 * when a submission is approved or rejected, with the record's summary and a link to the console.
 * The engine calls it after commit, outside any transaction, and retries it when sending fails. See
 * this module's README.
 *
 * <p>Everything in this package is non-null unless documented otherwise: parameters, return values
 * and record components; "maybe" is {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.plugins.email;

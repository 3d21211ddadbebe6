/**
 * The {@code http-callout} plugin: one flow action per configured HTTP endpoint ({@code
 * http.<endpoint>}), made with {@code java.net.http}. The JSON body comes from the action's inputs,
 * the response's fields are mapped to its outputs, headers may carry named secrets, and calls are
 * retried with back-off on 5xx answers, timeouts and connection failures. The actions declare
 * external side effects, so the engine calls them with no database transaction open. See this
 * module's README.
 *
 * <p>Everything in this package is non-null unless documented otherwise: parameters, return values
 * and record components; "maybe" is {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.plugins.httpcallout;

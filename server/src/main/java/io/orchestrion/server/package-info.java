/**
 * io.orchestrion.server. Everything in this package is non-null unless documented otherwise:
 * parameters, return values and record components; "maybe" is {@link java.util.Optional}, "none" is
 * an empty collection.
 */
package io.orchestrion.server;

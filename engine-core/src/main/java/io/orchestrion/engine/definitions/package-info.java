/**
 * Versioned definitions of flows and orchestrations (SPEC §2): the store keeps the versions, their
 * status and at most one active version per api name; what a definition means is validated by its
 * callers before it gets here. Everything in this package is non-null unless documented otherwise;
 * "maybe" is {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.engine.definitions;

/**
 * io.orchestrion.flow.json: the one shared Jackson configuration of the engine and the readers that
 * turn JSON into values with precise, path-qualified problems. Everything in this package is
 * non-null unless documented otherwise: parameters, return values and record components; "maybe" is
 * {@link java.util.Optional}, "none" is an empty collection.
 */
package io.orchestrion.flow.json;

/**
 * io.orchestrion.flow.security: enforcement of the running context (SPEC §7) on every record access
 * of a flow interview. Everything in this package is non-null unless documented otherwise:
 * parameters, return values and record components; "maybe" is {@link java.util.Optional}, "none" is
 * an empty collection.
 */
package io.orchestrion.flow.security;

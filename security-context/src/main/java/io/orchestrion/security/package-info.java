/**
 * io.orchestrion.security: who a flow interview runs as and how it enforces access. Everything in
 * this package is non-null unless documented otherwise: parameters, return values and record
 * components; "maybe" is {@link java.util.Optional}, "none" is an empty collection. Values are
 * immutable and safe to share between threads.
 */
package io.orchestrion.security;

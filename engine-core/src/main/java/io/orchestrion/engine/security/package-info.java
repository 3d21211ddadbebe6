/**
 * io.orchestrion.engine.security: how the engine applies the security context (SPEC §7) — the
 * cached directory index, secured record stores for interviews and API callers, and run-as
 * resolution of background steps. Everything is non-null unless documented otherwise.
 */
package io.orchestrion.engine.security;

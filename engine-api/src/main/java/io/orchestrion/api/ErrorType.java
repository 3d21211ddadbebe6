package io.orchestrion.api;

/** The category of an {@link OrchestrionException}; the server maps it to an HTTP status. */
public enum ErrorType {
  /** The caller sent something invalid (bad input, invalid definition, a limit exceeded). */
  USER_ERROR,
  /** A named thing does not exist (or the caller may not know that it exists). */
  NOT_FOUND,
  /** The request conflicts with the current state (version, lock, duplicate, already decided). */
  CONFLICT,
  /** The caller is not allowed to do this; the message says which permission is missing. */
  PERMISSION_DENIED,
  /** A system outside the engine (a plugin, an external action) failed. */
  EXTERNAL,
  /** A bug or an unexpected failure of the engine itself. */
  INTERNAL_ERROR
}

package io.orchestrion.api;

/** Anything that names an {@link ErrorCode}; implemented by {@link StandardErrorCode}. */
public interface ErrorCodeSupplier {
  ErrorCode toErrorCode();
}

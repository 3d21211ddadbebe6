package io.orchestrion.api;

/** The error codes of the engine. Plugins may define their own {@link ErrorCodeSupplier}. */
public enum StandardErrorCode implements ErrorCodeSupplier {
  INVALID_REQUEST(ErrorType.USER_ERROR),
  INVALID_DEFINITION(ErrorType.USER_ERROR),
  REQUEST_TOO_LARGE(ErrorType.USER_ERROR),
  LIMIT_EXCEEDED(ErrorType.USER_ERROR),
  NOT_FOUND(ErrorType.NOT_FOUND),
  CONFLICT(ErrorType.CONFLICT),
  STALE_VERSION(ErrorType.CONFLICT),
  RECORD_LOCKED(ErrorType.CONFLICT),
  UNAUTHENTICATED(ErrorType.PERMISSION_DENIED),
  PERMISSION_DENIED(ErrorType.PERMISSION_DENIED),
  INSUFFICIENT_ACCESS(ErrorType.PERMISSION_DENIED),
  FLOW_FAULT(ErrorType.USER_ERROR),
  PLUGIN_ERROR(ErrorType.EXTERNAL),
  EXTERNAL_ERROR(ErrorType.EXTERNAL),
  INTERNAL_ERROR(ErrorType.INTERNAL_ERROR);

  private final ErrorCode errorCode;

  StandardErrorCode(ErrorType type) {
    this.errorCode = new ErrorCode(name(), type);
  }

  @Override
  public ErrorCode toErrorCode() {
    return errorCode;
  }
}

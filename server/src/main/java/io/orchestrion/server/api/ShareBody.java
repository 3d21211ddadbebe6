package io.orchestrion.server.api;

import static java.util.Objects.requireNonNull;

import io.orchestrion.spi.directory.RecordShare;
import io.orchestrion.spi.directory.ShareAccess;

/** The body of {@code POST /records/{objectType}/{id}/shares}. */
public record ShareBody(RecordShare.GranteeType granteeType, String granteeId, ShareAccess access) {
  public ShareBody {
    requireNonNull(granteeType, "granteeType is null");
    requireNonNull(granteeId, "granteeId is null");
    requireNonNull(access, "access is null");
  }

  RecordShare toShare(String objectType, String recordId) {
    if (granteeId.isBlank() || granteeId.length() > DirectoryRequests.MAX_ID_LENGTH) {
      throw DirectoryRequests.invalid(
          "Share of record '" + recordId + "' is invalid",
          "$.granteeId",
          "must be 1 to " + DirectoryRequests.MAX_ID_LENGTH + " characters, not blank");
    }
    return new RecordShare(objectType, recordId, granteeType, granteeId, access);
  }
}

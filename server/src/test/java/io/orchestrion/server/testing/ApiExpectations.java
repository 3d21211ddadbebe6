package io.orchestrion.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on API answers shared by the server's tests. */
public final class ApiExpectations {
  private ApiExpectations() {}

  /** Fails unless {@code response} has {@code status}, showing the whole answer; returns it. */
  public static ApiResponse expect(ApiResponse response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    return response;
  }

  /** Creates a demo expense record and submits it to {@code Expense_Approval}; the run's id. */
  public static String submitExpense(ApiClient client) {
    String recordId =
        expect(client.post("/api/v1/records/Expense", Fixtures.demo(Fixtures.EXPENSE_RECORD)), 201)
            .json()
            .path("id")
            .asText();
    return expect(
            client.post(
                "/api/v1/submissions",
                "{\"objectType\": \"Expense\", \"recordId\": \""
                    + recordId
                    + "\", \"orchestration\": \"Expense_Approval\"}"),
            201)
        .json()
        .path("runId")
        .asText();
  }
}

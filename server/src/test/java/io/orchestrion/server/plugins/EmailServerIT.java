package io.orchestrion.server.plugins;

import static io.orchestrion.server.testing.ApiExpectations.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.server.testing.ApiClient;
import io.orchestrion.server.testing.TestServer;
import io.orchestrion.spi.directory.FieldPermission;
import io.orchestrion.spi.directory.ObjectPermission;
import io.orchestrion.spi.directory.PermissionSet;
import io.orchestrion.spi.directory.User;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The e-mail plugin in the real server, configured through the server's plugin settings, its
 * notification delivery threads running: a submission through the API mails the approver, the
 * approver's decision through the API mails the submitter twice (the decision, the approval), to a
 * real SMTP server (GreenMail).
 */
class EmailServerIT {
  private static final String TRIP =
      """
      {"apiName": "Trip", "sharing": "PRIVATE", "fields": [
        {"name": "Title", "type": "TEXT", "required": true, "approverVisible": true},
        {"name": "Amount", "type": "CURRENCY", "required": true, "approverVisible": true}]}
      """;

  private static final String ORCHESTRATION =
      """
      {"apiName": "Trip_Approval", "objectType": "Trip", "stages": [{"name": "Review", "steps": [
        {"name": "Manager_Approval", "kind": "APPROVAL", "assignee": {"type": "SUBMITTER_MANAGER"}}]}]}
      """;

  private GreenMail smtp;
  private TestServer server;

  @BeforeEach
  void start() {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    PluginConfiguration plugins =
        PluginConfiguration.empty()
            .withSetting("email", "smtp.host", "127.0.0.1")
            .withSetting("email", "smtp.port", Integer.toString(smtp.getSmtp().getPort()))
            .withSetting("email", "from", "approvals@example.com")
            .withSetting("email", "console.url", "https://orchestrion.example.com");
    server =
        TestServer.startH2(
            config ->
                config
                    .withPluginConfiguration(plugins)
                    .withNotifications(
                        NotificationSettings.defaults().withPollInterval(Duration.ofMillis(50))),
            dataSource -> dataSource);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    smtp.stop();
  }

  @Test
  void theApproverAndTheSubmitterAreMailedAsTheSubmissionGoesThroughTheApi() throws Exception {
    ApiClient admin = server.client();
    expect(admin.put("/api/v1/object-types/Trip", TRIP), 201);
    expect(admin.post("/api/v1/orchestrations", ORCHESTRATION), 201);
    expect(admin.post("/api/v1/orchestrations/Trip_Approval/versions/1/activate", ""), 200);
    server
        .directory()
        .savePermissionSet(
            new PermissionSet(
                "travellers",
                "Travellers",
                Map.of("Trip", Set.of(ObjectPermission.CREATE, ObjectPermission.READ)),
                Map.of("Trip", Map.of(PermissionSet.ALL_FIELDS, Set.of(FieldPermission.EDIT))),
                Set.of()));
    server.createUser(person("bob", "Bob Manager", "bob@example.com", null));
    server.createUser(person("alice", "Alice", "alice@example.com", "bob"), "travellers");
    ApiClient alice = server.clientAs("alice");

    String recordId =
        expect(alice.post("/api/v1/records/Trip", "{\"Title\": \"Oslo\", \"Amount\": 310.00}"), 201)
            .json()
            .path("id")
            .asText();
    String submissionId =
        expect(
                alice.post(
                    "/api/v1/submissions",
                    "{\"objectType\": \"Trip\", \"recordId\": \""
                        + recordId
                        + "\", \"orchestration\": \"Trip_Approval\"}"),
                201)
            .json()
            .path("id")
            .asText();

    assertThat(smtp.waitForIncomingEmail(20_000, 1)).as("the approver's mail").isTrue();
    MimeMessage assigned = smtp.getReceivedMessages()[0];
    assertThat(to(assigned)).containsExactly("bob@example.com");
    assertThat(assigned.getSubject()).isEqualTo("Approval needed: Trip \"Oslo\"");
    assertThat((String) assigned.getContent())
        .contains("Title: Oslo")
        .contains("Amount: 310.00")
        .contains("https://orchestrion.example.com/console/#/submissions/" + submissionId);

    String itemId =
        expect(server.clientAs("bob").get("/api/v1/work-items?status=ASSIGNED"), 200)
            .json()
            .path("items")
            .get(0)
            .path("id")
            .asText();
    expect(
        server
            .clientAs("bob")
            .post(
                "/api/v1/work-items/" + itemId + "/decision",
                "{\"decision\": \"APPROVE\", \"comments\": \"Have fun\"}"),
        200);

    assertThat(smtp.waitForIncomingEmail(20_000, 3)).as("the submitter's mails").isTrue();
    List<MimeMessage> all = Arrays.asList(smtp.getReceivedMessages());
    assertThat(all).hasSize(3);
    assertThat(to(all.get(1))).containsExactly("alice@example.com");
    assertThat(all.get(1).getSubject())
        .isEqualTo("Bob Manager approved step Manager_Approval of your Trip \"Oslo\"");
    assertThat(to(all.get(2))).containsExactly("alice@example.com");
    assertThat(all.get(2).getSubject()).isEqualTo("Approved: your Trip \"Oslo\"");
  }

  private static User person(String id, String name, String email, String managerId) {
    return new User(
        id,
        id,
        name,
        Optional.of(email),
        true,
        Optional.ofNullable(managerId),
        Optional.empty(),
        false);
  }

  private static List<String> to(MimeMessage message) throws MessagingException {
    return Arrays.stream(message.getRecipients(MimeMessage.RecipientType.TO))
        .map(address -> ((InternetAddress) address).getAddress())
        .toList();
  }
}

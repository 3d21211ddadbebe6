package io.orchestrion.plugins.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orchestrion.engine.api.NotificationSettings;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.spi.directory.User;
import io.orchestrion.testkit.TestEngine;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin in a real engine (the test kit: H2, virtual clock, the plugin found on the class path
 * and configured like the server does) sending to a real SMTP server: a submission assigns a work
 * item and its approver gets the mail, the decision and the outcome reach the submitter, and mail
 * that could not be sent while the server was down goes out once it is back, after the back-off,
 * exactly once.
 */
class EmailEndToEndTest {
  private GreenMail smtp;
  private int port;
  private TestEngine kit;

  @BeforeEach
  void setUp() {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    port = smtp.getSmtp().getPort();
    kit =
        TestEngine.builder()
            .configure(
                config ->
                    config
                        .withPluginConfiguration(
                            PluginConfiguration.empty()
                                .withSetting("email", "smtp.host", "127.0.0.1")
                                .withSetting("email", "smtp.port", Integer.toString(port))
                                .withSetting("email", "smtp.timeout", "PT5S")
                                .withSetting("email", "from", "approvals@example.com")
                                .withSetting(
                                    "email", "console.url", "https://orchestrion.example.com"))
                        .withNotifications(
                            NotificationSettings.defaults()
                                .withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(10))))
            .start();
    kit.deploy("email/trip.object.json", "email/trip-approval.orchestration.json");
    saveUser("bob", "Bob Manager", "bob@example.com", null);
    saveUser("alice", "Alice Submitter", "alice@example.com", "bob");
  }

  @AfterEach
  void tearDown() {
    if (kit != null) {
      kit.close();
    }
    smtp.stop();
  }

  @Test
  void theApproverIsToldOfTheWorkItemAndTheSubmitterOfTheDecisionAndTheOutcome() throws Exception {
    SubmissionView submission = submitTrip();

    MimeMessage assigned = only(smtp.getReceivedMessages());
    assertThat(recipients(assigned)).containsExactly("bob@example.com");
    assertThat(assigned.getSubject()).isEqualTo("Approval needed: Trip \"Lisbon offsite\"");
    assertThat(body(assigned))
        .contains("Alice Submitter submitted Trip \"Lisbon offsite\"")
        .contains("step Manager_Approval (Review) needs your approval (Bob Manager)")
        .contains("Title: Lisbon offsite\nAmount: 870.50")
        .doesNotContain("Notes")
        .contains("https://orchestrion.example.com/console/#/inbox")
        .contains("https://orchestrion.example.com/console/#/submissions/" + submission.id());

    kit.approve(submission.runId(), "Manager_Approval", "bob");

    MimeMessage[] all = smtp.getReceivedMessages();
    assertThat(all).hasSize(3);
    assertThat(recipients(all[1])).containsExactly("alice@example.com");
    assertThat(all[1].getSubject())
        .isEqualTo("Bob Manager approved step Manager_Approval of your Trip \"Lisbon offsite\"");
    assertThat(recipients(all[2])).containsExactly("alice@example.com");
    assertThat(all[2].getSubject()).isEqualTo("Approved: your Trip \"Lisbon offsite\"");
    assertThat(body(all[2]))
        .contains("Your Trip \"Lisbon offsite\" has been approved.")
        .contains("https://orchestrion.example.com/console/#/submissions/" + submission.id());

    // Nothing more, however often the engine looks again.
    kit.advance(Duration.ofHours(1));
    assertThat(smtp.getReceivedMessages()).hasSize(3);
  }

  @Test
  void mailThatFailedWhileTheServerWasDownGoesOutAfterTheBackOffExactlyOnce() throws Exception {
    smtp.stop();
    SubmissionView submission = submitTrip();
    assertThat(kit.submission(submission.id()).status().name()).isEqualTo("IN_PROGRESS");

    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    kit.advance(Duration.ofSeconds(59));
    assertThat(smtp.getReceivedMessages()).as("not retried before the back-off").isEmpty();

    kit.advance(Duration.ofSeconds(1));
    MimeMessage assigned = only(smtp.getReceivedMessages());
    assertThat(recipients(assigned)).containsExactly("bob@example.com");
    assertThat(assigned.getSubject()).isEqualTo("Approval needed: Trip \"Lisbon offsite\"");

    kit.reject(submission.runId(), "Manager_Approval", "bob", "Too expensive");
    kit.advance(Duration.ofMinutes(30));
    MimeMessage[] all = smtp.getReceivedMessages();
    assertThat(Arrays.stream(all).map(EmailEndToEndTest::subject))
        .containsExactly(
            "Approval needed: Trip \"Lisbon offsite\"",
            "Bob Manager rejected step Manager_Approval of your Trip \"Lisbon offsite\"",
            "Rejected: your Trip \"Lisbon offsite\"");
    assertThat(body(all[1])).contains("Comments: Too expensive");
  }

  @Test
  void anApproverWithoutAnAddressIsSkippedAndTheListenerGoesOn() throws Exception {
    saveUser("bob", "Bob Manager", null, null);
    SubmissionView submission = submitTrip();
    assertThat(smtp.getReceivedMessages()).isEmpty();

    kit.approve(submission.runId(), "Manager_Approval", "bob");
    assertThat(Arrays.stream(smtp.getReceivedMessages()).map(EmailEndToEndTest::subject))
        .containsExactly(
            "Bob Manager approved step Manager_Approval of your Trip \"Lisbon offsite\"",
            "Approved: your Trip \"Lisbon offsite\"");
  }

  // ---- helpers ----

  private SubmissionView submitTrip() {
    String recordId =
        kit.createRecord(
            "Trip",
            Map.of(
                "Title", "Lisbon offsite", "Amount", new BigDecimal("870.50"), "Notes", "private"),
            "alice");
    return kit.submit("Trip", recordId, "Trip_Approval", "alice");
  }

  private void saveUser(String id, String name, String email, String managerId) {
    kit.engine()
        .directory()
        .saveUser(
            new User(
                id,
                id,
                name,
                Optional.ofNullable(email),
                true,
                Optional.ofNullable(managerId),
                Optional.empty(),
                false));
  }

  private static MimeMessage only(MimeMessage[] messages) {
    assertThat(messages).hasSize(1);
    return messages[0];
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> recipients(MimeMessage message) throws MessagingException {
    return Arrays.stream(message.getRecipients(MimeMessage.RecipientType.TO))
        .map(Address::toString)
        .map(
            text -> {
              try {
                return new InternetAddress(text).getAddress();
              } catch (MessagingException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  private static String body(MimeMessage message) throws Exception {
    return ((String) message.getContent()).replace("\r\n", "\n");
  }
}

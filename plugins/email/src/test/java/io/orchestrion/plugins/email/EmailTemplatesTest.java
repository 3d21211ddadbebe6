package io.orchestrion.plugins.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.spi.PluginContext;
import io.orchestrion.spi.Secret;
import io.orchestrion.spi.notification.Notification;
import io.orchestrion.spi.notification.NotificationListener;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each template sent through a real SMTP server (GreenMail): recipients, subject and body, from the
 * plugin's listener as the engine calls it.
 */
class EmailTemplatesTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private final MapDirectory directory =
      new MapDirectory()
          .user("alice", "Alice Submitter", "alice@example.com")
          .user("bob", "Bob Manager", "bob@example.com")
          .user("carol", "Carol", "carol@example.com")
          .user("dan", "Dan", null)
          .user("erin", "Erin", "erin@example.com")
          .group("Reviewers", "carol", "dan", "erin");

  @Test
  void workItemAssignedGoesToTheUserAssignee() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_CREATED,
            "alice",
            Map.of(
                "workItemId", "wi-1",
                "status", "ASSIGNED",
                "assigneeType", "USER",
                "assigneeId", "bob",
                "dueAt", "2026-12-05T09:00:00Z")));

    MimeMessage mail = single();
    assertThat(recipients(mail)).containsExactly("bob@example.com");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("approvals@example.com");
    assertThat(mail.getSubject()).isEqualTo("Approval needed: Trip \"Lisbon offsite\"");
    assertThat(mail.getHeader(Mail.EVENT_HEADER)).containsExactly("event-1");
    assertThat(body(mail))
        .isEqualTo(
            """
            Hello Bob Manager,

            Alice Submitter submitted Trip "Lisbon offsite" and step Manager_Approval (Review) \
            needs your approval (Bob Manager). Due: 2026-12-05T09:00:00Z.

            Title: Lisbon offsite
            Amount: 870.50

            Open your inbox to approve or reject: https://orchestrion.example.com/console/#/inbox
            The submission: https://orchestrion.example.com/console/#/submissions/sub-1
            """
                .stripTrailing());
  }

  @Test
  void aGroupsMembersWithAnAddressAreTold() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_CREATED,
            "alice",
            Map.of("workItemId", "wi-2", "assigneeType", "GROUP", "assigneeId", "Reviewers")));

    MimeMessage mail = single();
    // dan has no address: skipped.
    assertThat(recipients(mail)).containsExactly("carol@example.com", "erin@example.com");
    assertThat(smtp.getReceivedMessages()).hasSize(2); // one copy per recipient's mailbox
    assertThat(body(mail))
        .startsWith("Hello members of group Reviewers,")
        .contains("needs your approval (group Reviewers). Due: none.");
  }

  @Test
  void reminderGoesToTheAssignee() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_REMINDED,
            "",
            Map.of(
                "workItemId",
                "wi-1",
                "assigneeType",
                "USER",
                "assigneeId",
                "bob",
                "dueAt",
                "2026-12-05T09:00:00Z",
                "rung",
                1)));

    MimeMessage mail = single();
    assertThat(recipients(mail)).containsExactly("bob@example.com");
    assertThat(mail.getSubject())
        .isEqualTo("Reminder: approval still needed for Trip \"Lisbon offsite\"");
    assertThat(body(mail))
        .contains(
            "Step Manager_Approval (Review) of Trip \"Lisbon offsite\", submitted by Alice"
                + " Submitter, still waits for a decision (Bob Manager). Due:"
                + " 2026-12-05T09:00:00Z.")
        .contains("https://orchestrion.example.com/console/#/inbox");
  }

  @Test
  void escalationGoesToTheNewAssigneeNamingThePreviousOne() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_ESCALATED,
            "",
            Map.of(
                "workItemId", "wi-1",
                "assigneeType", "USER",
                "assigneeId", "carol",
                "fromAssigneeType", "USER",
                "fromAssigneeId", "bob",
                "rung", 2)));

    MimeMessage mail = single();
    assertThat(recipients(mail)).containsExactly("carol@example.com");
    assertThat(mail.getSubject()).isEqualTo("Escalated to you: Trip \"Lisbon offsite\"");
    assertThat(body(mail))
        .startsWith("Hello Carol,")
        .contains("was not decided in time by Bob Manager and has been escalated to you (Carol).");
  }

  @Test
  void aReassignedItemGoesToTheNewAssigneeNamingWhoReassignedIt() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_REASSIGNED,
            "bob",
            Map.of(
                "workItemId", "wi-1",
                "status", "ASSIGNED",
                "assigneeType", "GROUP",
                "assigneeId", "Reviewers",
                "fromAssigneeType", "USER",
                "fromAssigneeId", "bob")));

    MimeMessage mail = single();
    assertThat(recipients(mail)).containsExactly("carol@example.com", "erin@example.com");
    assertThat(mail.getSubject())
        .isEqualTo("Approval needed (reassigned to you): Trip \"Lisbon offsite\"");
    assertThat(body(mail))
        .contains("was reassigned from Bob Manager to you (group Reviewers) by Bob Manager.");
  }

  @Test
  void aDecisionGoesToTheSubmitter() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_DECIDED,
            "bob",
            Map.of(
                "workItemId", "wi-1",
                "status", "APPROVED",
                "assigneeType", "USER",
                "assigneeId", "bob",
                "decision", "APPROVE",
                "comments", "Enjoy Lisbon")));

    MimeMessage mail = single();
    assertThat(recipients(mail)).containsExactly("alice@example.com");
    assertThat(mail.getSubject())
        .isEqualTo("Bob Manager approved step Manager_Approval of your Trip \"Lisbon offsite\"");
    assertThat(body(mail))
        .isEqualTo(
            """
            Hello Alice Submitter,

            Bob Manager approved step Manager_Approval (Review) of your Trip "Lisbon offsite".
            Comments: Enjoy Lisbon

            Title: Lisbon offsite
            Amount: 870.50

            Follow your submission: https://orchestrion.example.com/console/#/submissions/sub-1
            """
                .stripTrailing());
  }

  @Test
  void aDelegatesDecisionNamesBothPeople() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_DECIDED,
            "carol",
            Map.of(
                "workItemId", "wi-1",
                "status", "REJECTED",
                "assigneeType", "USER",
                "assigneeId", "bob",
                "decision", "REJECT",
                "onBehalfOf", "bob")));

    MimeMessage mail = single();
    assertThat(recipients(mail)).containsExactly("alice@example.com");
    assertThat(mail.getSubject())
        .isEqualTo(
            "Carol on behalf of Bob Manager rejected step Manager_Approval of your Trip"
                + " \"Lisbon offsite\"");
    assertThat(body(mail)).contains("Comments: (none)");
  }

  @Test
  void approvalAndRejectionOfTheSubmissionGoToTheSubmitter() throws Exception {
    deliver(event(EventKind.RUN_COMPLETED, "", Map.of("submissionStatus", "APPROVED")));
    MimeMessage approved = single();
    assertThat(recipients(approved)).containsExactly("alice@example.com");
    assertThat(approved.getSubject()).isEqualTo("Approved: your Trip \"Lisbon offsite\"");
    assertThat(body(approved))
        .contains("Your Trip \"Lisbon offsite\" has been approved.")
        .contains("https://orchestrion.example.com/console/#/submissions/sub-1");

    smtp.reset();
    deliver(event(EventKind.RUN_REJECTED, "bob", Map.of("submissionStatus", "REJECTED")));
    MimeMessage rejected = single();
    assertThat(recipients(rejected)).containsExactly("alice@example.com");
    assertThat(rejected.getSubject()).isEqualTo("Rejected: your Trip \"Lisbon offsite\"");
    assertThat(body(rejected)).contains("Your Trip \"Lisbon offsite\" has been rejected.");
  }

  @Test
  void nobodyWithAnAddressMeansNoMailAndNoFailure() throws Exception {
    deliver(
        event(
            EventKind.WORK_ITEM_CREATED,
            "alice",
            Map.of("workItemId", "wi-3", "assigneeType", "USER", "assigneeId", "dan")));
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aTemplateFromTheSettingsReplacesTheDefault() throws Exception {
    NotificationListener listener =
        listener(
            Map.of(
                "templates.approved.subject", "[{objectType}] {headline} approved",
                "templates.approved.body", "{summary}\n{submissionLink}\n"));
    listener.deliver(
        notification(event(EventKind.RUN_COMPLETED, "", Map.of("submissionStatus", "APPROVED"))),
        directory);
    MimeMessage mail = single();
    assertThat(mail.getSubject()).isEqualTo("[Trip] \"Lisbon offsite\" approved");
    assertThat(body(mail))
        .isEqualTo(
            "Title: Lisbon offsite\nAmount: 870.50\n"
                + "https://orchestrion.example.com/console/#/submissions/sub-1");
  }

  @Test
  void aRefusedLoginFailsWithoutThePasswordInTheMessage() {
    smtp.setUser("mailer@example.com", "mailer", "the-right-one");
    NotificationListener listener =
        listener(Map.of("smtp.username", "mailer"), "wrong-but-secret-password");
    assertThatThrownBy(
            () ->
                listener.deliver(
                    notification(
                        event(EventKind.RUN_COMPLETED, "", Map.of("submissionStatus", "APPROVED"))),
                    directory))
        .isInstanceOf(MailDeliveryException.class)
        .hasMessageContaining("through 127.0.0.1:" + smtp.getSmtp().getPort() + " failed")
        .hasMessageContaining("AuthenticationFailedException")
        .hasNoCause()
        .message()
        .doesNotContain("wrong-but-secret-password");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aLoginWithTheRightPasswordSends() throws Exception {
    smtp.setUser("mailer@example.com", "mailer", "the-right-one");
    listener(Map.of("smtp.username", "mailer"), "the-right-one")
        .deliver(
            notification(
                event(EventKind.RUN_COMPLETED, "", Map.of("submissionStatus", "APPROVED"))),
            directory);
    assertThat(recipients(single())).containsExactly("alice@example.com");
  }

  // ---- helpers ----

  private void deliver(OrchestrationEvent event) throws Exception {
    listener(Map.of()).deliver(notification(event), directory);
  }

  private static NotificationListener listener(Map<String, String> extra) {
    return listener(extra, null);
  }

  private static NotificationListener listener(Map<String, String> extra, String password) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("smtp.host", "127.0.0.1");
    settings.put("smtp.port", Integer.toString(smtp.getSmtp().getPort()));
    settings.put("smtp.timeout", "PT5S");
    settings.put("from", "approvals@example.com");
    settings.put("console.url", "https://orchestrion.example.com");
    settings.putAll(extra);
    EmailPlugin plugin = new EmailPlugin();
    plugin.configure(
        new PluginContext(
            "email",
            settings,
            password == null
                ? Map.of()
                : Map.of("smtp.password", Secret.of("smtp.password", password))));
    List<NotificationListener> listeners = plugin.getNotificationListeners();
    assertThat(listeners).hasSize(1);
    assertThat(listeners.get(0).id()).isEqualTo("email");
    assertThat(listeners.get(0).kinds())
        .containsExactlyInAnyOrder(
            EventKind.WORK_ITEM_CREATED,
            EventKind.WORK_ITEM_REASSIGNED,
            EventKind.WORK_ITEM_REMINDED,
            EventKind.WORK_ITEM_ESCALATED,
            EventKind.WORK_ITEM_DECIDED,
            EventKind.RUN_COMPLETED,
            EventKind.RUN_REJECTED);
    return listeners.get(0);
  }

  private static OrchestrationEvent event(
      EventKind kind, String actor, Map<String, Object> payload) {
    boolean runEvent = kind == EventKind.RUN_COMPLETED || kind == EventKind.RUN_REJECTED;
    return new OrchestrationEvent(
        "event-1",
        42,
        kind,
        "run-1",
        "sub-1",
        "Trip",
        "rec-1",
        Optional.of("Review"),
        runEvent ? Optional.empty() : Optional.of("Manager_Approval"),
        runEvent ? Optional.empty() : Optional.of("step-1"),
        Optional.empty(),
        actor.isEmpty() ? Optional.empty() : Optional.of(actor),
        payload,
        Instant.parse("2026-12-03T08:00:00Z"));
  }

  private static Notification notification(OrchestrationEvent event) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("Title", "Lisbon offsite");
    summary.put("Amount", new BigDecimal("870.50"));
    return new Notification(event, Optional.of("alice"), summary);
  }

  private static MimeMessage single() {
    MimeMessage[] messages = smtp.getReceivedMessages();
    assertThat(messages).isNotEmpty();
    // A message to several recipients arrives once per recipient; all copies are the same mail.
    assertThat(Arrays.stream(messages).map(EmailTemplatesTest::messageId).distinct()).hasSize(1);
    return messages[0];
  }

  private static String messageId(MimeMessage message) {
    try {
      return message.getMessageID();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> recipients(MimeMessage message) throws Exception {
    return Arrays.stream(message.getRecipients(MimeMessage.RecipientType.TO))
        .map(Address::toString)
        .map(EmailTemplatesTest::address)
        .toList();
  }

  private static String address(String text) {
    try {
      return new InternetAddress(text).getAddress();
    } catch (jakarta.mail.internet.AddressException e) {
      throw new AssertionError(e);
    }
  }

  private static String body(MimeMessage message) throws Exception {
    // The transport drops the body's last line break.
    return ((String) message.getContent()).replace("\r\n", "\n").stripTrailing();
  }
}

package io.orchestrion.engine.orchestration;

import io.orchestrion.api.Problem;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.EscalationRung;
import io.orchestrion.api.orchestration.StepDefinition;
import io.orchestrion.engine.calendars.BusinessDuration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The deploy checks of an approval step's business calendar and escalation ladder
 * (docs/orchestrations.md, "Business calendars" and "Escalation"), each error with its JSON path.
 */
final class EscalationChecks {
  /** More rungs than this is a mistake. */
  static final int MAX_RUNGS = 20;

  /** Rungs in business time compare days first, then time: the order they are due in. */
  private static final Comparator<BusinessDuration> BUSINESS_ORDER =
      Comparator.comparingLong(BusinessDuration::days).thenComparing(BusinessDuration::time);

  /** Rungs in wall-clock time compare their length. */
  private static final Comparator<BusinessDuration> WALL_CLOCK_ORDER =
      Comparator.comparing(BusinessDuration::wallClock);

  private EscalationChecks() {}

  /**
   * The errors of {@code step}'s calendar and ladder.
   *
   * @param path the step's path, e.g. {@code $.stages[0].steps[1]}
   * @param calendarExists whether a calendar of that name exists; empty when it is not checked
   *     (compiling a stored version to run it, the offline validator)
   */
  static List<Problem> problems(
      String path, StepDefinition.ApprovalStep step, Optional<Predicate<String>> calendarExists) {
    List<Problem> problems = new ArrayList<>();
    if (step.calendar().isPresent()) {
      String calendar = step.calendar().get();
      if (calendarExists.isPresent() && !calendarExists.get().test(calendar)) {
        problems.add(
            new Problem(
                path + ".calendar",
                "unknown calendar '%s'; create it with PUT /api/v1/calendars/%s"
                    .formatted(calendar, calendar)));
      }
      step.dueIn()
          .ifPresent(
              dueIn -> {
                try {
                  java.time.Duration.parse(dueIn); // else the compiler's own check reports it
                } catch (DateTimeParseException e) {
                  return;
                }
                try {
                  BusinessDuration.parse(dueIn);
                } catch (DateTimeParseException e) {
                  problems.add(
                      new Problem(
                          path + ".dueIn",
                          "'%s' is not a business duration such as P2D or PT4H (no negative part)"
                              .formatted(dueIn)));
                }
              });
    }
    if (step.escalation().size() > MAX_RUNGS) {
      problems.add(new Problem(path + ".escalation", "at most " + MAX_RUNGS + " escalation rungs"));
    }
    Comparator<BusinessDuration> order =
        step.calendar().isPresent() ? BUSINESS_ORDER : WALL_CLOCK_ORDER;
    BusinessDuration previous = null;
    for (int r = 0; r < step.escalation().size(); r++) {
      EscalationRung rung = step.escalation().get(r);
      String rungPath = path + ".escalation[" + r + "]";
      BusinessDuration after = after(problems, rungPath, rung.after());
      if (after != null) {
        if (previous != null && order.compare(after, previous) < 0) {
          problems.add(
              new Problem(
                  rungPath + ".after",
                  "'%s' is before the previous rung's; rungs are in the order they fire"
                      .formatted(rung.after())));
        }
        previous = after;
      }
      checkAction(problems, rungPath, rung);
    }
    return problems;
  }

  private static BusinessDuration after(List<Problem> problems, String rungPath, String text) {
    try {
      BusinessDuration after = BusinessDuration.parse(text);
      if (after.isZero()) {
        problems.add(new Problem(rungPath + ".after", "after must be positive, not " + text));
        return null;
      }
      return after;
    } catch (DateTimeParseException e) {
      problems.add(
          new Problem(
              rungPath + ".after",
              "'%s' is not a positive ISO-8601 duration such as P2D or PT4H".formatted(text)));
      return null;
    }
  }

  private static void checkAction(List<Problem> problems, String rungPath, EscalationRung rung) {
    boolean reassign = rung.action() == EscalationRung.EscalationAction.REASSIGN;
    boolean decide = rung.action() == EscalationRung.EscalationAction.DECIDE;
    if (rung.to().isPresent() && !reassign) {
      problems.add(new Problem(rungPath + ".to", "'to' belongs to REASSIGN rungs only"));
    }
    if (rung.decision().isPresent() && !decide) {
      problems.add(new Problem(rungPath + ".decision", "'decision' belongs to DECIDE rungs only"));
    }
    if (reassign) {
      if (rung.to().isEmpty()) {
        problems.add(
            new Problem(
                rungPath + ".to",
                "a REASSIGN rung needs 'to': USER, GROUP, QUEUE or ASSIGNEE_MANAGER"));
      } else {
        checkTarget(problems, rungPath + ".to", rung.to().get());
      }
    }
    if (decide) {
      String decision = rung.decision().orElse(null);
      if (!"APPROVE".equals(decision) && !"REJECT".equals(decision)) {
        problems.add(
            new Problem(
                rungPath + ".decision",
                decision == null
                    ? "a DECIDE rung needs 'decision': APPROVE or REJECT"
                    : "decision must be APPROVE or REJECT, not '%s'".formatted(decision)));
      }
    }
  }

  private static void checkTarget(List<Problem> problems, String toPath, AssigneeSpec to) {
    switch (to.type()) {
      case USER -> require(problems, toPath + ".userId", to.userId(), "USER", "userId");
      case GROUP -> require(problems, toPath + ".group", to.group(), "GROUP", "group");
      case QUEUE -> require(problems, toPath + ".queue", to.queue(), "QUEUE", "queue");
      case ASSIGNEE_MANAGER -> {}
      default ->
          problems.add(
              new Problem(
                  toPath + ".type",
                  "a rung reassigns to USER, GROUP, QUEUE or ASSIGNEE_MANAGER, not %s"
                      .formatted(to.type())));
    }
  }

  private static void require(
      List<Problem> problems, String path, Optional<String> value, String type, String property) {
    if (value.isEmpty() || value.get().isBlank()) {
      problems.add(new Problem(path, "%s needs '%s'".formatted(type, property)));
    }
  }
}

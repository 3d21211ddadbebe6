package io.orchestrion.engine.orchestration;

import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.AssigneeSpec;
import io.orchestrion.api.orchestration.StepDefinition;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The deploy checks of an approval step's assignees and due time (its decision policy is {@link
 * ApprovalPolicyChecks}', its calendar and escalation {@link EscalationChecks}'), each problem with
 * its JSON path.
 */
final class ApprovalStepChecks {
  private ApprovalStepChecks() {}

  static void check(
      OrchestrationProblems problems,
      String path,
      StepDefinition.ApprovalStep step,
      Optional<ObjectTypeDefinition> objectType) {
    if (step.assignee().isPresent() == !step.assignees().isEmpty()) {
      problems.error(path, "an approval step needs exactly one of 'assignee' and 'assignees'");
      return;
    }
    ApprovalPolicyChecks.check(path, step, (at, message) -> problems.error(at, "%s", message));
    for (int i = 0; i < step.approvers().size(); i++) {
      checkAssignee(
          problems,
          ApprovalPolicyChecks.approverPath(path, step, i),
          step.approvers().get(i),
          objectType);
    }
    if (step.dueIn().isPresent()) {
      try {
        if (Duration.parse(step.dueIn().get()).isNegative()) {
          problems.error(path + ".dueIn", "dueIn must not be negative");
        }
      } catch (DateTimeParseException e) {
        problems.error(
            path + ".dueIn", "'%s' is not an ISO-8601 duration such as P2D", step.dueIn().get());
      }
    }
  }

  /** A RECORD_FIELD assignee or run-as names a USER field of the orchestration's object type. */
  static void checkUserField(
      OrchestrationProblems problems,
      String path,
      String what,
      Optional<String> fieldName,
      Optional<ObjectTypeDefinition> objectType) {
    if (fieldName.isEmpty()) {
      problems.error(path, what + " RECORD_FIELD needs 'field'");
    } else if (objectType.isPresent()) {
      var field = objectType.get().field(fieldName.get());
      if (field.isEmpty() || field.get().type() != DataType.USER) {
        problems.error(
            path, "'%s' is not a USER field of %s", fieldName.get(), objectType.get().apiName());
      }
    }
  }

  private static void checkAssignee(
      OrchestrationProblems problems,
      String at,
      AssigneeSpec assignee,
      Optional<ObjectTypeDefinition> objectType) {
    switch (assignee.type()) {
      case USER -> {
        if (assignee.userId().isEmpty()) {
          problems.error(at + ".userId", "assignee USER needs 'userId'");
        }
      }
      case GROUP -> {
        if (assignee.group().isEmpty()) {
          problems.error(at + ".group", "assignee GROUP needs 'group'");
        }
      }
      case QUEUE -> {
        if (assignee.queue().isEmpty()) {
          problems.error(at + ".queue", "assignee QUEUE needs 'queue'");
        }
      }
      case RECORD_FIELD ->
          checkUserField(problems, at + ".field", "assignee", assignee.field(), objectType);
      case SUBMITTER_MANAGER, MANAGER_CHAIN -> {} // a chain: ApprovalPolicyChecks
      case ASSIGNEE_MANAGER ->
          problems.error(
              at + ".type", "assignee ASSIGNEE_MANAGER is only an escalation rung's 'to'");
    }
  }
}

package io.orchestrion.engine.references;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
  @Test
  void parsesEveryShape() {
    assertThat(Reference.parse("$Record.Amount")).isEqualTo(new Reference.RecordField("Amount"));
    assertThat(Reference.parse("$Submission.submitterId"))
        .isEqualTo(new Reference.SubmissionProperty("submitterId"));
    assertThat(Reference.parse("$Step.Review.status"))
        .isEqualTo(new Reference.StepStatus("Review"));
    assertThat(Reference.parse("$Step.Check.outputs.score"))
        .isEqualTo(new Reference.StepOutput("Check", "score"));
    assertThat(Reference.parse("$Stage.Approval.status"))
        .isEqualTo(new Reference.StageStatus("Approval"));
    assertThat(Reference.parse("$Now")).isEqualTo(new Reference.Now());
    assertThat(Reference.parse("$Today")).isEqualTo(new Reference.Today());
    assertThat(Reference.parse("$Run.id")).isEqualTo(new Reference.RunId());
    assertThat(Reference.parse("$limit")).isEqualTo(new Reference.Variable("$limit"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$Record.Amount",
        "$Submission.comments",
        "$Step.Review.status",
        "$Step.Check.outputs.score",
        "$Stage.Approval.status",
        "$Now",
        "$Today",
        "$Run.id",
        "$limit",
        "$Step.Review",
        "$Step.Review.other"
      })
  void textGivesTheReferenceBack(String text) {
    assertThat(Reference.parse(text).text()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$Step.Review",
        "$Step.Review.outputs",
        "$Step.Review.other",
        "$Step.Review.status.extra",
        "$Stage.Approval",
        "$Stage.Approval.outputs"
      })
  void otherStepAndStageShapesAreMalformed(String text) {
    assertThat(Reference.parse(text)).isEqualTo(new Reference.Malformed(text));
    assertThat(Reference.stepOf(Reference.parse(text))).isEmpty();
  }

  @Test
  void anOutputNameKeepsItsDots() {
    assertThat(Reference.parse("$Step.Check.outputs.a.b"))
        .isEqualTo(new Reference.StepOutput("Check", "a.b"));
  }

  @Test
  void knowsTheSubmissionPropertiesAndTheStepAReferenceReads() {
    assertThat(new Reference.SubmissionProperty("recordId").known()).isTrue();
    assertThat(new Reference.SubmissionProperty("secret").known()).isFalse();
    assertThat(Reference.stepOf(Reference.parse("$Step.Review.status"))).contains("Review");
    assertThat(Reference.stepOf(Reference.parse("$Step.Check.outputs.score"))).contains("Check");
    assertThat(Reference.stepOf(Reference.parse("$Stage.Approval.status"))).isEmpty();
  }
}

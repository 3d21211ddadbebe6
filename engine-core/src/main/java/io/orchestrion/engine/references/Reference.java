package io.orchestrion.engine.references;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A reference an orchestration's conditions and step inputs may use (SPEC §5.2), parsed once: the
 * one place that knows the syntax. {@code $Record.<field>}, {@code $Submission.<property>}, {@code
 * $Step.<name>.status}, {@code $Step.<name>.outputs.<output>}, {@code $Stage.<name>.status}, {@code
 * $Now}, {@code $Today}, {@code $Run.id}; anything else names an orchestration variable. A text
 * that starts like a step or stage reference but has another shape is {@link Malformed}.
 */
public sealed interface Reference {
  String RECORD = "$Record.";
  String SUBMISSION = "$Submission.";
  String STEP = "$Step.";
  String STAGE = "$Stage.";

  /** The submission's properties a reference may name, in the order the docs list them. */
  List<String> SUBMISSION_PROPERTIES =
      List.of("id", "recordId", "objectType", "submitterId", "comments");

  /** The reference as written. */
  String text();

  /** A field of the submitted record. */
  record RecordField(String field) implements Reference {
    public RecordField {
      requireNonNull(field, "field is null");
    }

    @Override
    public String text() {
      return RECORD + field;
    }
  }

  /** A property of the submission (known or not: see {@link #known}). */
  record SubmissionProperty(String property) implements Reference {
    public SubmissionProperty {
      requireNonNull(property, "property is null");
    }

    public boolean known() {
      return SUBMISSION_PROPERTIES.contains(property);
    }

    @Override
    public String text() {
      return SUBMISSION + property;
    }
  }

  /** The status of the latest instance of a step. */
  record StepStatus(String step) implements Reference {
    public StepStatus {
      requireNonNull(step, "step is null");
    }

    @Override
    public String text() {
      return STEP + step + ".status";
    }
  }

  /** An output of the latest instance of a step. */
  record StepOutput(String step, String output) implements Reference {
    public StepOutput {
      requireNonNull(step, "step is null");
      requireNonNull(output, "output is null");
    }

    @Override
    public String text() {
      return STEP + step + ".outputs." + output;
    }
  }

  /** The status of the latest instance of a stage. */
  record StageStatus(String stage) implements Reference {
    public StageStatus {
      requireNonNull(stage, "stage is null");
    }

    @Override
    public String text() {
      return STAGE + stage + ".status";
    }
  }

  /** {@code $Now}: the evaluation's instant. */
  record Now() implements Reference {
    @Override
    public String text() {
      return "$Now";
    }
  }

  /** {@code $Today}: the evaluation's date in the engine's zone. */
  record Today() implements Reference {
    @Override
    public String text() {
      return "$Today";
    }
  }

  /** {@code $Run.id}. */
  record RunId() implements Reference {
    @Override
    public String text() {
      return "$Run.id";
    }
  }

  /** An orchestration variable, named by the whole text. */
  record Variable(String text) implements Reference {
    public Variable {
      requireNonNull(text, "text is null");
    }
  }

  /**
   * A step or stage reference of no known shape ({@code $Step.x}, {@code $Step.x.other}, {@code
   * $Stage.x.outputs}); it resolves to nothing and has no type, so a definition using it does not
   * deploy.
   */
  record Malformed(String text) implements Reference {
    public Malformed {
      requireNonNull(text, "text is null");
    }
  }

  /** Parses a reference; never fails (an unknown shape is {@link Malformed} or a variable). */
  static Reference parse(String text) {
    requireNonNull(text, "text is null");
    if (text.startsWith(RECORD)) {
      return new RecordField(text.substring(RECORD.length()));
    }
    if (text.startsWith(SUBMISSION)) {
      return new SubmissionProperty(text.substring(SUBMISSION.length()));
    }
    if (text.startsWith(STEP)) {
      String[] parts = text.split("\\.", 4);
      if (parts.length == 3 && parts[2].equals("status")) {
        return new StepStatus(parts[1]);
      }
      if (parts.length == 4 && parts[2].equals("outputs")) {
        return new StepOutput(parts[1], parts[3]);
      }
      return new Malformed(text);
    }
    if (text.startsWith(STAGE)) {
      String[] parts = text.split("\\.", 3);
      return parts.length == 3 && parts[2].equals("status")
          ? new StageStatus(parts[1])
          : new Malformed(text);
    }
    return switch (text) {
      case "$Now" -> new Now();
      case "$Today" -> new Today();
      case "$Run.id" -> new RunId();
      default -> new Variable(text);
    };
  }

  /** The step a reference reads, if it reads one. */
  static Optional<String> stepOf(Reference reference) {
    return switch (reference) {
      case StepStatus status -> Optional.of(status.step());
      case StepOutput output -> Optional.of(output.step());
      default -> Optional.empty();
    };
  }
}

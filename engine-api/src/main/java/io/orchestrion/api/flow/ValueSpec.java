package io.orchestrion.api.flow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A value in a definition: a literal ({@code {"value": 5}}), a reference ({@code {"ref":
 * "expense.Amount"}}) or a named formula ({@code {"formula": "riskScore"}}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
  @JsonSubTypes.Type(ValueSpec.Literal.class),
  @JsonSubTypes.Type(ValueSpec.Reference.class),
  @JsonSubTypes.Type(ValueSpec.Formula.class)
})
public sealed interface ValueSpec {
  static ValueSpec literal(Object value) {
    return new Literal(value);
  }

  static ValueSpec ref(String path) {
    return new Reference(path);
  }

  /**
   * A constant; {@code value} may be null (the JSON {@code null}). It is written also when null,
   * because {@code {}} would not read back as a literal.
   */
  record Literal(@JsonInclude(JsonInclude.Include.ALWAYS) Object value) implements ValueSpec {}

  /** A dotted path: a variable, a field of a record variable, or a {@code $}-prefixed global. */
  record Reference(String ref) implements ValueSpec {
    public Reference {
      requireNonNull(ref, "ref is null");
    }
  }

  /** The name of a formula declared on the flow. */
  record Formula(String formula) implements ValueSpec {
    public Formula {
      requireNonNull(formula, "formula is null");
    }
  }
}

package ${package};

import io.orchestrion.spi.ConditionResult;
import io.orchestrion.spi.ConditionSetup;
import io.orchestrion.spi.ConditionType;
import io.orchestrion.spi.ConditionTypeFactory;
import java.math.BigDecimal;
import java.util.Set;

/**
 * {@code {"type": "${conditionTypeId}", "value": "${symbol_dollar}Record.Amount", "above": 1000}}: met when the
 * referenced number is greater than {@code above}. Configuration problems are reported at deploy
 * time, all of them, each naming its property.
 */
public final class AmountAboveConditionTypeFactory implements ConditionTypeFactory {
  public static final String ID = "${conditionTypeId}";
  private static final Set<String> PROPERTIES = Set.of("value", "above");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ConditionType create(ConditionSetup setup) {
    for (String property : setup.config().keySet()) {
      if (!PROPERTIES.contains(property)) {
        setup.problem(property, "unknown property; expected " + PROPERTIES);
      }
    }
    String reference = "";
    if (setup.config().get("value") instanceof String text && !text.isBlank()) {
      reference = text;
    } else {
      setup.problem("value", "must be a reference such as \"${symbol_dollar}Record.Amount\"");
    }
    BigDecimal above = BigDecimal.ZERO;
    if (setup.config().get("above") instanceof Number number) {
      above = new BigDecimal(number.toString());
    } else {
      setup.problem("above", "must be a number, was " + setup.config().get("above"));
    }
    return new AmountAbove(reference, above);
  }

  private record AmountAbove(String reference, BigDecimal above) implements ConditionType {
    @Override
    public ConditionResult evaluate(io.orchestrion.spi.ConditionContext context) {
      Object value = context.resolve(reference).orElse(null);
      if (!(value instanceof Number number)) {
        return ConditionResult.notMet(reference + " has no number");
      }
      BigDecimal amount = new BigDecimal(number.toString());
      return amount.compareTo(above) > 0
          ? ConditionResult.met(reference + " = " + amount + " is above " + above)
          : ConditionResult.notMet(reference + " = " + amount + " is not above " + above);
    }
  }
}

package io.orchestrion.flow;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * Keeps the limits inside one formula evaluation (SPEC §6.4). CEL calls it after every node of the
 * expression it evaluates, comprehension iterations included: every text and list a node builds is
 * checked against the value limits as soon as it exists (so that {@code t + t} cannot double past
 * the text length before anyone looks), the texts built by calls are added up against the
 * interview's value size (a comprehension must not build ten thousand large texts), and every
 * {@value #TIME_CHECK_INTERVAL} nodes the interview's CPU and segment time limits are checked.
 *
 * <p>CEL turns an exception of a listener into an error value, which {@code ||}, {@code &&} and the
 * comprehensions built on them may absorb. So a guard that tripped throws again at every following
 * node, which unwinds the evaluation quickly, and {@link #tripped()} gives the fault to raise
 * whatever CEL made of it. Not thread-safe: one evaluation at a time.
 */
final class FormulaGuard implements CelEvaluationListener {
  /** Nodes between two time checks; a check without reading the CPU clock costs a few ns. */
  static final int TIME_CHECK_INTERVAL = 256;

  private final ValueLimits limits;
  private final Interview interview;
  private String formula = "";
  private long nodes;
  private long builtChars;
  private FlowFault fault;

  /** {@code interview} null: a formula evaluated outside an interview, with no time limits. */
  FormulaGuard(ValueLimits limits, Interview interview) {
    this.limits = limits;
    this.interview = interview;
  }

  /** Starts the evaluation of {@code name}. */
  FormulaGuard start(String name) {
    formula = name;
    builtChars = 0;
    fault = null;
    return this;
  }

  /** The limit the evaluation reached, or null. */
  FlowFault tripped() {
    return fault;
  }

  @Override
  public void callback(CelExpr expr, Object result) {
    if (fault != null) {
      throw fault;
    }
    try {
      check(expr, result);
    } catch (FlowFault reached) {
      fault = reached;
      throw reached;
    }
  }

  private void check(CelExpr expr, Object result) {
    // instanceof tests rather than a type switch, which costs about 100 ns a call: this runs for
    // every node of every formula.
    FlowLimits max = limits.limits();
    if (result instanceof String text) {
      if (text.length() > max.maxTextLength()) {
        limits.checkText(text.length(), holder());
      }
      built(expr, text.length());
    } else if (result instanceof Collection<?> items) {
      if (items.size() > max.maxCollectionItems()) {
        limits.checkItems(items.size(), holder());
      }
    } else if (result instanceof Map<?, ?> entries) {
      if (entries.size() > max.maxCollectionItems()) {
        limits.checkItems(entries.size(), holder());
      }
    } else if (result instanceof CelByteString bytes) {
      if (bytes.size() > max.maxTextLength()) {
        limits.checkText(bytes.size(), holder());
      }
      built(expr, bytes.size());
    }
    if (interview != null && ++nodes % TIME_CHECK_INTERVAL == 0) {
      interview.checkTimeLimits(formula);
    }
  }

  /** Counts what a call built; a variable or field read builds nothing. */
  private void built(CelExpr expr, int chars) {
    if (expr.getKind() == CelExpr.ExprKind.Kind.CALL) {
      builtChars += chars;
      if (builtChars > limits.limits().maxValuesJsonChars()) {
        throw FlowFault.limit(
            "interview value size limit of "
                + limits.limits().maxValuesJsonChars()
                + " characters of JSON reached (maxValuesJsonChars): formula '"
                + formula
                + "' built more than "
                + builtChars
                + " characters of text in one evaluation");
      }
    }
  }

  private String holder() {
    return "a value built inside formula '" + formula + "'";
  }
}

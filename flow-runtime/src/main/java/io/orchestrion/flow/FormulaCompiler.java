package io.orchestrion.flow;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.runtime.CelEvaluationException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.flow.FormulaDefinition;
import io.orchestrion.api.flow.VariableDefinition;
import io.orchestrion.api.object.DataType;
import io.orchestrion.api.object.FieldDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.object.SystemFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Compiles the formulas of a flow at deploy: declares the flow's variables to CEL with their types
 * (RECORD variables as struct types with the object type's fields), parses and type-checks each
 * expression, rejects binary floating point anywhere in it, checks the result against the declared
 * type and plans the program once. Problems carry the formula's JSON path.
 */
final class FormulaCompiler {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final String NO_CONTAINER = " (in container '')";

  private final Function<String, Optional<ObjectTypeDefinition>> objectTypes;
  private final Map<String, StructType> structs = new HashMap<>();
  private final Map<String, List<String>> recordFields = new HashMap<>();

  FormulaCompiler(Function<String, Optional<ObjectTypeDefinition>> objectTypes) {
    this.objectTypes = objectTypes;
  }

  /**
   * Compiles {@code formulas}, reporting problems to {@code errors}; the result holds only those
   * that compiled, by name.
   *
   * @param variableTypes the type of each variable, in slot order
   */
  Map<String, CompiledFormula> compile(
      List<FormulaDefinition> formulas,
      List<VariableDefinition> variables,
      List<ValueType> variableTypes,
      List<Problem> errors) {
    Map<String, CompiledFormula> compiled = new LinkedHashMap<>();
    if (formulas.isEmpty()) {
      return compiled;
    }
    CelCompilerBuilder builder = FormulaLibrary.compilerBuilder();
    Map<String, Integer> slots = new HashMap<>();
    for (int slot = 0; slot < variables.size(); slot++) {
      String name = variables.get(slot).name();
      Optional<CelType> type = celType(variableTypes.get(slot));
      // A duplicate or untyped variable was reported where it is declared.
      if (type.isPresent() && !slots.containsKey(name)) {
        slots.put(name, slot);
        builder.addVar(name, type.get());
      }
    }
    builder.setTypeProvider(new Structs(List.copyOf(structs.values())));
    CelCompiler compiler = builder.build();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < formulas.size(); i++) {
      FormulaDefinition formula = formulas.get(i);
      String path = "$.formulas[" + i + "]";
      if (!NAME.matcher(formula.name()).matches()) {
        errors.add(
            new Problem(
                path + ".name",
                "formula name '" + formula.name() + "' does not match " + NAME.pattern()));
      }
      if (!names.add(formula.name())) {
        errors.add(new Problem(path + ".name", "duplicate formula '" + formula.name() + "'"));
        continue;
      }
      compile(compiler, formula, path, slots, errors)
          .ifPresent(program -> compiled.put(formula.name(), program));
    }
    return compiled;
  }

  private Optional<CompiledFormula> compile(
      CelCompiler compiler,
      FormulaDefinition formula,
      String path,
      Map<String, Integer> slots,
      List<Problem> errors) {
    String prefix = "formula '" + formula.name() + "': ";
    if (formula.type() == DataType.RECORD) {
      errors.add(
          new Problem(
              path + ".type",
              prefix
                  + "a formula has a single value of type TEXT, NUMBER, CURRENCY, BOOLEAN,"
                  + " DATE, DATETIME, PICKLIST, USER or LOOKUP, not RECORD"));
      return Optional.empty();
    }
    CelValidationResult result = compiler.compile(formula.expression());
    if (result.hasError()) {
      for (CelIssue issue : result.getErrors()) {
        errors.add(new Problem(path + ".expression", prefix + describe(issue)));
      }
      return Optional.empty();
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (CelValidationException e) {
      errors.add(new Problem(path + ".expression", prefix + e.getMessage()));
      return Optional.empty();
    }
    if (ast.getTypeMap().values().stream().anyMatch(FormulaCompiler::usesDouble)) {
      errors.add(
          new Problem(
              path + ".expression",
              prefix
                  + "binary floating point (double) is not allowed: NUMBER and CURRENCY are exact"
                  + " decimals, write decimal('1.5') (or an int) instead of 1.5"));
      return Optional.empty();
    }
    CelType resultType = ast.getResultType();
    if (!fits(formula.type(), resultType)) {
      errors.add(
          new Problem(
              path + ".type",
              prefix
                  + "declared "
                  + formula.type()
                  + " but the expression is of type "
                  + resultType.name()
                  + " (expected "
                  + expected(formula.type())
                  + ")"));
      return Optional.empty();
    }
    try {
      return Optional.of(
          new CompiledFormula(
              formula.name(),
              ValueType.of(formula.type()),
              FormulaLibrary.runtime().createProgram(ast),
              slots,
              recordFields));
    } catch (CelEvaluationException e) {
      errors.add(new Problem(path + ".expression", prefix + e.getMessage()));
      return Optional.empty();
    }
  }

  private static String describe(CelIssue issue) {
    String message = issue.getMessage().replace(NO_CONTAINER, "");
    int column = issue.getSourceLocation().getColumn();
    String located = column < 0 ? message : message + " (at column " + (column + 1) + ")";
    return isDoubleOverloadError(message) ? located + DOUBLE_HINT : located;
  }

  private static final String DOUBLE_HINT =
      "; a number with a decimal point such as 1.2 is a binary floating point double in CEL, while"
          + " NUMBER and CURRENCY are exact decimals: write decimal('1.2') (or an int) instead";

  /**
   * A type error such as {@code n * 1.2}: no overload of an operator or function for arguments of
   * which one is a double (only the argument types count, not the candidates CEL lists after them).
   */
  private static boolean isDoubleOverloadError(String message) {
    String marker = "no matching overload for ";
    int start = message.indexOf(marker);
    if (start < 0) {
      return false;
    }
    int applied = message.indexOf(" applied to '(", start);
    int end = applied < 0 ? -1 : message.indexOf(")'", applied);
    return end >= 0 && message.substring(applied, end).contains("double");
  }

  private static boolean usesDouble(CelType type) {
    return type.kind() == CelKind.DOUBLE
        || type.parameters().stream().anyMatch(FormulaCompiler::usesDouble);
  }

  /** Whether a formula declared {@code declared} may produce values of CEL type {@code type}. */
  private static boolean fits(DataType declared, CelType type) {
    return switch (declared) {
      case NUMBER, CURRENCY -> type.equals(FormulaLibrary.DECIMAL) || type.equals(SimpleType.INT);
      case TEXT, PICKLIST, USER, LOOKUP -> type.equals(SimpleType.STRING);
      case BOOLEAN -> type.equals(SimpleType.BOOL);
      case DATE -> type.equals(FormulaLibrary.DATE);
      case DATETIME -> type.equals(FormulaLibrary.DATETIME);
      case RECORD -> false;
    };
  }

  private static String expected(DataType declared) {
    return switch (declared) {
      case NUMBER, CURRENCY -> "decimal or int";
      case TEXT, PICKLIST, USER, LOOKUP -> "string";
      case BOOLEAN -> "bool";
      case DATE -> "date";
      case DATETIME -> "datetime";
      case RECORD -> "nothing";
    };
  }

  /** The CEL type of a flow value; empty for a record of an unknown object type. */
  private Optional<CelType> celType(ValueType type) {
    if (type.collection()) {
      return celType(type.item()).map(ListType::create);
    }
    return switch (type.type()) {
      case TEXT, PICKLIST, USER, LOOKUP -> Optional.of(SimpleType.STRING);
      case NUMBER, CURRENCY -> Optional.of(FormulaLibrary.DECIMAL);
      case BOOLEAN -> Optional.of(SimpleType.BOOL);
      case DATE -> Optional.of(FormulaLibrary.DATE);
      case DATETIME -> Optional.of(FormulaLibrary.DATETIME);
      case RECORD -> type.objectType().flatMap(this::struct);
    };
  }

  /** A record as a CEL struct type named after its object type, with its fields typed. */
  private Optional<CelType> struct(String objectType) {
    if (structs.containsKey(objectType)) {
      return Optional.of(structs.get(objectType));
    }
    Optional<ObjectTypeDefinition> definition = objectTypes.apply(objectType);
    if (definition.isEmpty()) {
      return Optional.empty();
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    List<FieldDefinition> all = new ArrayList<>(definition.get().fields());
    all.addAll(SystemFields.ALL);
    for (FieldDefinition field : all) {
      if (field.type() != DataType.RECORD) {
        fields.putIfAbsent(field.name(), celType(ValueType.of(field)).orElseThrow());
      }
    }
    StructType struct =
        StructType.create(
            objectType,
            ImmutableSet.copyOf(fields.keySet()),
            name -> Optional.ofNullable(fields.get(name)));
    structs.put(objectType, struct);
    recordFields.put(objectType, List.copyOf(fields.keySet()));
    return Optional.of(struct);
  }

  /** Makes the record struct types known to the checker. */
  private record Structs(List<StructType> structs) implements CelTypeProvider {
    @Override
    public ImmutableCollection<CelType> types() {
      return ImmutableList.copyOf(structs);
    }

    @Override
    public Optional<CelType> findType(String name) {
      return structs.stream()
          .filter(struct -> struct.name().equals(name))
          .map(CelType.class::cast)
          .findFirst();
    }
  }
}

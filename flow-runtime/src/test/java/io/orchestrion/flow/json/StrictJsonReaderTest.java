package io.orchestrion.flow.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.Problem;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.api.flow.FlowDefinition;
import io.orchestrion.api.object.ObjectTypeDefinition;
import io.orchestrion.api.orchestration.OrchestrationDefinition;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class StrictJsonReaderTest {
  private final ObjectMapper mapper = OrchestrionJson.newObjectMapper();
  private final StrictJsonReader reader = new StrictJsonReader(mapper);

  private static List<Problem> problems(ThrowingCallable call) {
    OrchestrionException[] caught = new OrchestrionException[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(OrchestrionException.class, e -> caught[0] = e);
    return caught[0].getProblems();
  }

  private List<Problem> problems(String json) {
    return problems(() -> reader.read(json, FlowDefinition.class, "Flow definition"));
  }

  @Test
  void reportsAnUnknownPropertyWithItsPath() {
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x",
                 "elements": [{"type": "Wait", "name": "x", "duration": "PT1M", "nxt": "y"}]}"""))
        .containsExactly(new Problem("$.elements[0].nxt", "unknown property 'nxt'"));
  }

  @Test
  void reportsSeveralUnknownPropertiesAtOnce() {
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x", "colour": "red",
                 "variables": [{"name": "v", "type": "TEXT", "inptu": true}],
                 "elements": [
                   {"type": "Assignment", "name": "x",
                    "assignments": [{"target": "v", "value": {"value": "a"}, "why": "because"}]},
                   {"name": "y", "nxt": "x", "type": "Wait", "duration": "PT1M"}]}"""))
        .containsExactlyInAnyOrder(
            new Problem("$.colour", "unknown property 'colour'"),
            new Problem("$.variables[0].inptu", "unknown property 'inptu'"),
            new Problem("$.elements[0].assignments[0].why", "unknown property 'why'"),
            new Problem("$.elements[1].nxt", "unknown property 'nxt'"));
  }

  @Test
  void reportsAnUnknownElementType() {
    List<Problem> problems =
        problems(
            """
            {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x",
             "elements": [{"type": "Repeat", "name": "x"}]}""");

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().path()).isEqualTo("$.elements[0].type");
    assertThat(problems.getFirst().message()).startsWith("unknown type 'Repeat'").contains("Loop");
  }

  @Test
  void namesTheStepKindPropertyWhenAStepLacksOrMisspellsIt() {
    String missing =
        """
        {"apiName": "X", "objectType": "Expense",
         "stages": [{"name": "S", "steps": [{"name": "a", "flow": "f"}]}]}""";
    assertThat(problems(() -> reader.read(missing, OrchestrationDefinition.class, "Orchestration")))
        .containsExactly(new Problem("$.stages[0].steps[0].kind", "missing 'kind'"));
    String unknown = missing.replace("\"name\": \"a\"", "\"kind\": \"MANUAL\", \"name\": \"a\"");
    List<Problem> problems =
        problems(() -> reader.read(unknown, OrchestrationDefinition.class, "Orchestration"));
    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().path()).isEqualTo("$.stages[0].steps[0].kind");
    assertThat(problems.getFirst().message())
        .startsWith("unknown kind 'MANUAL'")
        .contains("APPROVAL", "BACKGROUND");
  }

  @Test
  void reportsMissingRequiredPropertiesWrongTypesAndBadEnumValues() {
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x",
                 "elements": [{"type": "Assignment"}]}"""))
        .containsExactly(new Problem("$.elements[0]", "missing required property 'name'"));
    assertThat(
            problems(
                "{\"apiName\": \"A\", \"type\": \"AUTOLAUNCHED\", \"start\": 5, \"elements\": 7}"))
        .containsExactly(new Problem("$.elements", "expected an array"));
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "SOMETIMES", "start": "x", "bogus": 1}"""))
        .extracting(Problem::path)
        .containsExactly("$.type", "$.bogus");
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x", "elements": [
                  {"type": "Assignment", "name": "x",
                   "assignments": [{"target": "v", "value": {"vaule": 1}}]}]}"""))
        .containsExactly(
            new Problem(
                "$.elements[0].assignments[0].value",
                "expected a value {\"value\": ...}, a reference {\"ref\": \"...\"} or a formula"
                    + " {\"formula\": \"...\"}"));
  }

  @Test
  void reportsMalformedJsonAndTrailingTokens() {
    assertThat(problems("{\"apiName\": \"A\",")).extracting(Problem::path).containsExactly("$");
    assertThat(problems("{\"apiName\": \"A\",").getFirst().message())
        .startsWith("malformed JSON at line 1");
    assertThat(problems("{\"apiName\": \"A\", \"type\": \"AUTOLAUNCHED\", \"start\": \"x\"} {}"))
        .extracting(Problem::path)
        .containsExactly("$");
  }

  @Test
  void usesTheGivenErrorCode() {
    StrictJsonReader requests = new StrictJsonReader(mapper, StandardErrorCode.INVALID_REQUEST);

    assertThatThrownBy(() -> requests.read("{\"x\": 1}", FlowDefinition.class, "Request body"))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e ->
                assertThat(e.getErrorCode())
                    .isEqualTo(StandardErrorCode.INVALID_REQUEST.toErrorCode()))
        .hasMessageStartingWith("Request body: ");
  }

  private static final String ORCHESTRATION =
      """
      {"apiName": "A", "objectType": "Expense", %s
       "stages": [
         {"name": "One", "steps": [
           {"name": "Mark", "kind": "BACKGROUND", "flow": "F", %s
            "start": {"type": "STAGE_STARTS"}}]},
         {"name": "Two", "steps": [
           {"name": "Ok", "kind": "APPROVAL", "assignee": {"type": "SUBMITTER_MANAGER"},
            "start": {"type": "STAGE_STARTS"}}]}]}""";

  private List<Problem> orchestrationProblems(String atRoot, String inStep) {
    String json = ORCHESTRATION.formatted(atRoot, inStep);
    return problems(() -> reader.read(json, OrchestrationDefinition.class, "Orchestration"));
  }

  @Test
  void reportsAnUnknownPropertyWhoseValueIsAnObjectOrArrayAtItsOwnPath() {
    assertThat(orchestrationProblems("", "\"foo\": {\"x\": 1},"))
        .containsExactly(new Problem("$.stages[0].steps[0].foo", "unknown property 'foo'"));
    assertThat(orchestrationProblems("\"foo\": {\"x\": {\"y\": [1]}},", ""))
        .containsExactly(new Problem("$.foo", "unknown property 'foo'"));
    assertThat(orchestrationProblems("\"a\": 1, \"foo\": {\"foo\": 1},", "\"b\": 2, \"foo\": {},"))
        .containsExactlyInAnyOrder(
            new Problem("$.a", "unknown property 'a'"),
            new Problem("$.foo", "unknown property 'foo'"),
            new Problem("$.stages[0].steps[0].b", "unknown property 'b'"),
            new Problem("$.stages[0].steps[0].foo", "unknown property 'foo'"));
    assertThat(orchestrationProblems("\"foo\": [1, {\"x\": 2}],", "\"bar\": [[]],"))
        .containsExactlyInAnyOrder(
            new Problem("$.foo", "unknown property 'foo'"),
            new Problem("$.stages[0].steps[0].bar", "unknown property 'bar'"));
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x",
                 "elements": [{"type": "Wait", "name": "x", "duration": "PT1M",
                               "nxt": {"a": [1, 2]}}], "more": []}"""))
        .containsExactlyInAnyOrder(
            new Problem("$.elements[0].nxt", "unknown property 'nxt'"),
            new Problem("$.more", "unknown property 'more'"));
  }

  @Test
  void reportsAnInvalidEnumValueTogetherWithTheOtherProblems() {
    List<Problem> found =
        problems(
            """
            {"apiName": "A", "type": "SOMETIMES", "start": "x", "bogus": 1,
             "variables": [{"name": "v", "type": "TXT", "colour": "red"}],
             "elements": [{"type": "Wait", "name": "x", "duration": "PT1M", "nxt": "y"}]}""");

    assertThat(found)
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "$.type",
            "$.bogus",
            "$.variables[0].type",
            "$.variables[0].colour",
            "$.elements[0].nxt");
    assertThat(found.stream().filter(p -> p.path().equals("$.type")).findFirst().orElseThrow())
        .extracting(Problem::message)
        .asString()
        .contains("'SOMETIMES'", "AUTOLAUNCHED");
  }

  @Test
  void listsOnlyTheDataTypesAcceptedWhereTheValueIs() {
    String variable =
        problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x",
                 "variables": [{"name": "v", "type": "TXT"}],
                 "elements": [{"type": "Wait", "name": "x", "duration": "PT1M"}]}""")
            .getFirst()
            .message();
    String field =
        problems(
                () ->
                    reader.read(
                        """
                        {"apiName": "Expense", "sharing": "PUBLIC_READ",
                         "fields": [{"name": "Amount", "type": "MONEY"}]}""",
                        ObjectTypeDefinition.class,
                        "Object type"))
            .getFirst()
            .message();

    assertThat(variable).contains("TEXT", "LOOKUP", "RECORD");
    assertThat(field).contains("'MONEY'", "TEXT", "LOOKUP").doesNotContain("RECORD");
  }

  @Test
  void reportsAnInvalidEnumValueAtItsPathWhenTheElementTypeComesLast() {
    assertThat(
            problems(
                """
                {"apiName": "A", "type": "AUTOLAUNCHED", "start": "x",
                 "variables": [{"name": "v", "type": "TEXT"}],
                 "elements": [{"name": "x",
                   "assignments": [{"target": "v", "operator": "SETT", "value": {"value": "a"}}],
                   "type": "Assignment"}]}"""))
        .extracting(Problem::path)
        .containsExactly("$.elements[0].assignments[0].operator");
  }
}

package io.orchestrion.api.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordDataTest {
  @Test
  void keepsUnsetFieldsAsNullAndReportsThemAsEmpty() {
    Map<String, Object> fields = new HashMap<>();
    fields.put(SystemFields.ID, "rec-1");
    fields.put("Amount", null);

    RecordData record = new RecordData("Opportunity", fields, 3);

    assertThat(record.id()).contains("rec-1");
    assertThat(record.fields()).containsEntry("Amount", null);
    assertThat(record.get("Amount")).isEmpty();
    assertThat(record.get("Missing")).isEmpty();
    assertThat(record.version()).isEqualTo(3);
  }

  @Test
  void aRecordNotStoredYetHasNoId() {
    assertThat(new RecordData("Opportunity", Map.of("Name", "Acme"), 0).id()).isEmpty();
  }

  @Test
  void isImmutableAndDefensivelyCopied() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Name", "Acme");
    RecordData record = new RecordData("Opportunity", fields, 1);
    fields.put("Name", "Changed");

    assertThat(record.get("Name")).contains("Acme");
    assertThatThrownBy(() -> record.fields().put("Name", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withFieldReturnsAModifiedCopyAndKeepsFieldOrder() {
    RecordData original =
        new RecordData("Opportunity", new LinkedHashMap<>(Map.of("Name", "Acme")), 2);

    RecordData changed = original.withField("Amount", 500).withField("Name", "Acme Corp");

    assertThat(changed.fields())
        .containsExactly(Map.entry("Name", "Acme Corp"), Map.entry("Amount", 500));
    assertThat(changed.version()).isEqualTo(2);
    assertThat(original.fields()).containsExactly(Map.entry("Name", "Acme"));
  }

  @Test
  void rejectsMissingObjectTypeOrFields() {
    assertThatThrownBy(() -> new RecordData(null, Map.of(), 0)).hasMessage("objectType is null");
    assertThatThrownBy(() -> new RecordData("Opportunity", null, 0)).hasMessage("fields is null");
  }
}

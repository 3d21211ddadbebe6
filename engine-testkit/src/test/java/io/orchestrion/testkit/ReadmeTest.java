package io.orchestrion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.engine.testing.ReadmeSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module's README shows the example test as it is in the source. */
class ReadmeTest {
  @Test
  void theReadmeShowsTheExampleTestAsItIs() {
    ReadmeSnippets.Result result = ReadmeSnippets.check(Path.of("README.md"));

    assertThat(result.mismatches()).isEmpty();
    assertThat(result.checked()).isEqualTo(1);
  }
}

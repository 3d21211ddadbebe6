package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenStoreTest {
  @TempDir Path dataDirectory;

  @Test
  void generatesOnceThenReusesTheStoredToken() throws Exception {
    Path data = dataDirectory.resolve("nested");
    ApiTokenStore.ResolvedToken first = ApiTokenStore.resolve(Optional.empty(), data);
    assertThat(first.source()).isEqualTo(ApiTokenStore.Source.GENERATED);
    assertThat(first.token().value()).hasSizeGreaterThanOrEqualTo(40);
    Path file = data.resolve("api-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    ApiTokenStore.ResolvedToken second = ApiTokenStore.resolve(Optional.empty(), data);
    assertThat(second.source()).isEqualTo(ApiTokenStore.Source.STORED);
    assertThat(second.token()).isEqualTo(first.token());
  }

  @Test
  void configuredTokenWinsAndIsNotStored() {
    ApiTokenStore.ResolvedToken resolved =
        ApiTokenStore.resolve(Optional.of("configured-token-123"), dataDirectory);
    assertThat(resolved.source()).isEqualTo(ApiTokenStore.Source.CONFIGURED);
    assertThat(resolved.token().value()).isEqualTo("configured-token-123");
    assertThat(dataDirectory.resolve("api-token")).doesNotExist();
  }

  @Test
  void tokensAreRandom() {
    assertThat(ApiTokenStore.generate()).isNotEqualTo(ApiTokenStore.generate());
  }

  @Test
  void matchingIsExactAndTokenIsNotPrinted() {
    ApiToken token = new ApiToken("abcdefghijklmnop");
    assertThat(token.matches("abcdefghijklmnop")).isTrue();
    assertThat(token.matches("abcdefghijklmnoP")).isFalse();
    assertThat(token.matches("abcdefghijklmno")).isFalse();
    assertThat(token.toString()).doesNotContain("abcdef");
  }
}

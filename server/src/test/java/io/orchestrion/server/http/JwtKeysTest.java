package io.orchestrion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtKeysTest {
  @TempDir Path dataDirectory;

  @Test
  void generatesASecretOnceThenReusesTheStoredOne() throws Exception {
    Path data = dataDirectory.resolve("nested");
    ServerConfig config = ServerConfig.defaults().withDataDirectory(data);
    JwtKeys first = JwtKeys.resolve(config);
    assertThat(first.source()).isEqualTo(JwtKeys.Source.GENERATED);
    assertThat(first.algorithm()).isEqualTo(JwtKeys.Algorithm.HS256);
    assertThat(first.verificationKey()).hasSizeGreaterThanOrEqualTo(40);
    Path file = data.resolve("jwt-secret");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    JwtKeys second = JwtKeys.resolve(config);
    assertThat(second.source()).isEqualTo(JwtKeys.Source.STORED);
    assertThat(second.verificationKey()).isEqualTo(first.verificationKey());
    assertThat(second.signingKey()).contains(first.verificationKey());
  }

  @Test
  void aConfiguredSecretWinsAndIsNotStored() {
    String secret = "a-configured-secret-of-32-characters";
    JwtKeys keys =
        JwtKeys.resolve(
            ServerConfig.defaults().withDataDirectory(dataDirectory).withJwtSecret(secret));
    assertThat(keys.source()).isEqualTo(JwtKeys.Source.CONFIGURED);
    assertThat(keys.verificationKey()).isEqualTo(secret);
    assertThat(dataDirectory.resolve("jwt-secret")).doesNotExist();
    assertThat(keys.toString()).doesNotContain(secret);
  }

  @Test
  void generatedSecretsDiffer() {
    assertThat(JwtKeys.generateSecret()).isNotEqualTo(JwtKeys.generateSecret());
  }
}

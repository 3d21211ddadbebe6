package io.orchestrion.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrion.api.OrchestrionException;
import io.vertx.core.Vertx;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtTokensTest {
  private static final String SECRET = "a-test-secret-of-at-least-32-characters";
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  @Test
  void aMintedTokenNamesItsUser() {
    JwtTokens tokens = new JwtTokens(vertx, JwtKeys.hs256(SECRET));
    String token = tokens.mint("alice", Instant.now(), Duration.ofMinutes(5));
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(tokens.verify(token)).isEqualTo("alice");
  }

  @Test
  void expiredTamperedAndForeignTokensAreRefused() {
    JwtTokens tokens = new JwtTokens(vertx, JwtKeys.hs256(SECRET));
    String expired =
        tokens.mint("alice", Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    assertUnauthenticated(tokens, expired, "expired");

    String valid = tokens.mint("alice", Instant.now(), Duration.ofMinutes(5));
    String[] parts = valid.split("\\.");
    String otherPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]))
                    .replace("alice", "admin")
                    .getBytes());
    assertUnauthenticated(tokens, parts[0] + "." + otherPayload + "." + parts[2], "invalid");

    JwtTokens other = new JwtTokens(vertx, JwtKeys.hs256(SECRET + "-other"));
    assertUnauthenticated(
        tokens, other.mint("alice", Instant.now(), Duration.ofMinutes(5)), "invalid");
    assertUnauthenticated(tokens, "not-a-jwt", "invalid");
  }

  @Test
  void rs256TokensAreVerifiedWithThePublicKeyOnly() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    JwtTokens issuer =
        new JwtTokens(
            vertx,
            new JwtKeys(
                JwtKeys.Algorithm.RS256,
                publicPem,
                Optional.of(privatePem),
                JwtKeys.Source.CONFIGURED,
                Optional.empty()));
    JwtTokens verifier =
        new JwtTokens(
            vertx,
            new JwtKeys(
                JwtKeys.Algorithm.RS256,
                publicPem,
                Optional.empty(),
                JwtKeys.Source.CONFIGURED,
                Optional.empty()));

    String token = issuer.mint("bob", Instant.now(), Duration.ofMinutes(5));
    assertThat(verifier.verify(token)).isEqualTo("bob");
    assertThat(verifier.canMint()).isFalse();
    assertThatThrownBy(() -> verifier.mint("bob", Instant.now(), Duration.ofMinutes(5)))
        .hasMessageContaining("no jwtPrivateKey");
    // An HS256 token signed with the public key as secret (the classic confusion) is refused.
    JwtTokens confused = new JwtTokens(vertx, JwtKeys.hs256(publicPem));
    assertUnauthenticated(
        verifier, confused.mint("bob", Instant.now(), Duration.ofMinutes(5)), "invalid");
  }

  /** A token signed with {@link #SECRET} whatever its claims (the payload JSON as given). */
  private static String signed(String payloadJson) throws Exception {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(UTF_8));
    String signingInput = header + "." + base64.encodeToString(payloadJson.getBytes(UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
    return signingInput + "." + base64.encodeToString(mac.doFinal(signingInput.getBytes(UTF_8)));
  }

  @Test
  void signedTokensWithTimeClaimsThatAreNotNumbersAreRefused() throws Exception {
    JwtTokens tokens = new JwtTokens(vertx, JwtKeys.hs256(SECRET));
    long now = Instant.now().getEpochSecond();

    assertThat(tokens.verify(signed("{\"sub\":\"alice\",\"exp\":" + (now + 60) + "}")))
        .isEqualTo("alice");
    assertUnauthenticated(
        tokens, signed("{\"sub\":\"alice\",\"exp\":\"tomorrow\"}"), "exp claim must be a number");
    assertUnauthenticated(
        tokens,
        signed("{\"sub\":\"alice\",\"exp\":" + (now + 60) + ",\"nbf\":{\"a\":1}}"),
        "nbf claim must be a number");
    assertUnauthenticated(
        tokens,
        signed("{\"sub\":\"alice\",\"exp\":" + (now + 60) + ",\"iat\":[1]}"),
        "iat claim must be a number");
    assertUnauthenticated(tokens, "a.b", "three dot-separated parts");
    assertUnauthenticated(tokens, "a.%%%.c", "not a base64url JSON object");
  }

  @Test
  void tokensLivingLongerThanTheMaximumLifetimeAreRefused() throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    JwtTokens tokens =
        new JwtTokens(
            vertx, JwtKeys.hs256(SECRET), Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
    long nowSeconds = Instant.now().getEpochSecond();

    assertUnauthenticated(
        tokens, signed("{\"sub\":\"alice\",\"exp\":1e300}"), "exp - now (no iat)");
    assertUnauthenticated(
        tokens,
        signed(
            "{\"sub\":\"alice\",\"iat\":"
                + nowSeconds
                + ",\"exp\":"
                + (nowSeconds + 24 * 3600 + 1)
                + "}"),
        "exp - iat is 86401 s, the maximum is 86400 s");
    String fullDay =
        signed(
            "{\"sub\":\"alice\",\"iat\":"
                + nowSeconds
                + ",\"exp\":"
                + (nowSeconds + 24 * 3600)
                + "}");
    assertThat(tokens.verify(fullDay)).isEqualTo("alice");
    assertThatThrownBy(() -> tokens.mint("alice", Instant.now(), Duration.ofHours(25)))
        .isInstanceOf(OrchestrionException.class)
        .hasMessageContaining("at most PT24H (setting maxTokenLifetime)");
  }

  private static void assertUnauthenticated(JwtTokens tokens, String token, String detail) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(
            OrchestrionException.class,
            e -> assertThat(e.getErrorCode().name()).isEqualTo("UNAUTHENTICATED"))
        .hasMessageContaining(detail);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----";
  }
}

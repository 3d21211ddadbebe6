package io.orchestrion.server.http;

import static java.util.Objects.requireNonNull;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The keys of the API's bearer tokens (JWTs): an HS256 shared secret, or an RS256 public key (with
 * its private key when this server also mints tokens). {@link #resolve} finds them in the
 * configuration, else in the data directory, else generates a secret there (readable by the owner
 * only) so that tokens survive restarts.
 *
 * @param verificationKey the HS256 secret, or the RS256 public key in PEM
 * @param signingKey the HS256 secret, or the RS256 private key in PEM; empty when tokens come from
 *     an identity provider and this server only verifies them
 * @param file the file the secret was read from or written to
 */
public record JwtKeys(
    Algorithm algorithm,
    String verificationKey,
    Optional<String> signingKey,
    Source source,
    Optional<Path> file) {
  public static final String SECRET_FILE_NAME = "jwt-secret";
  private static final int GENERATED_SECRET_BYTES = 32;

  /** The signature algorithms the server accepts. */
  public enum Algorithm {
    HS256,
    RS256
  }

  /** Where the keys came from; a GENERATED secret is reported once, at the start that made it. */
  public enum Source {
    CONFIGURED,
    STORED,
    GENERATED
  }

  public JwtKeys {
    requireNonNull(algorithm, "algorithm is null");
    requireNonNull(verificationKey, "verificationKey is null");
    requireNonNull(signingKey, "signingKey is null");
    requireNonNull(source, "source is null");
    requireNonNull(file, "file is null");
    if (verificationKey.isBlank()) {
      throw new IllegalArgumentException("the " + algorithm + " verification key is blank");
    }
  }

  /** HS256 keys with {@code secret} (tests). */
  public static JwtKeys hs256(String secret) {
    return new JwtKeys(
        Algorithm.HS256, secret, Optional.of(secret), Source.CONFIGURED, Optional.empty());
  }

  public static JwtKeys resolve(ServerConfig config) {
    requireNonNull(config, "config is null");
    if (config.jwtPublicKey().isPresent()) {
      return new JwtKeys(
          Algorithm.RS256,
          pem(config.jwtPublicKey().get(), "jwtPublicKey"),
          config.jwtPrivateKey().map(value -> pem(value, "jwtPrivateKey")),
          Source.CONFIGURED,
          Optional.empty());
    }
    if (config.jwtSecret().isPresent()) {
      return hs256(config.jwtSecret().get());
    }
    return storedSecret(config.dataDirectory());
  }

  private static JwtKeys storedSecret(Path dataDirectory) {
    Path file = dataDirectory.resolve(SECRET_FILE_NAME);
    try {
      if (Files.exists(file)) {
        return stored(file);
      }
      Files.createDirectories(dataDirectory);
      String secret = generateSecret();
      try {
        write(file, secret);
      } catch (FileAlreadyExistsException e) {
        // Another process started on the same directory first: use its secret.
        return stored(file);
      }
      return new JwtKeys(
          Algorithm.HS256, secret, Optional.of(secret), Source.GENERATED, Optional.of(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "Cannot read or create the JWT secret file '" + file + "': " + e,
          e);
    }
  }

  private static JwtKeys stored(Path file) throws IOException {
    String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
    return new JwtKeys(
        Algorithm.HS256, secret, Optional.of(secret), Source.STORED, Optional.of(file));
  }

  /** PEM text as given, or the content of the PEM file the setting names. */
  private static String pem(String value, String setting) {
    if (value.startsWith("-----BEGIN")) {
      return value;
    }
    try {
      return Files.readString(Path.of(value), StandardCharsets.UTF_8).trim();
    } catch (IOException | InvalidPathException e) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "Invalid server configuration: "
              + setting
              + " is neither PEM text nor a readable PEM file: '"
              + value
              + "' ("
              + e
              + ")",
          e);
    }
  }

  private static void write(Path file, String secret) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
  }

  static String generateSecret() {
    byte[] bytes = new byte[GENERATED_SECRET_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // Keys stay out of logs and exception messages.
  @Override
  public String toString() {
    return "JwtKeys[" + algorithm + ", " + source + file.map(path -> ", " + path).orElse("") + "]";
  }
}

package io.orchestrion.server.http;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Finds the API token: the configured one, else the one stored in the data directory, else a new
 * random one that is stored there (readable by the owner only) so that it survives restarts.
 */
public final class ApiTokenStore {
  public static final String FILE_NAME = "api-token";
  private static final int TOKEN_BYTES = 32;

  private ApiTokenStore() {}

  /** Where the token came from; a GENERATED token is printed once, at the start that made it. */
  public enum Source {
    CONFIGURED,
    STORED,
    GENERATED
  }

  public record ResolvedToken(ApiToken token, Source source, Optional<Path> file) {}

  public static ResolvedToken resolve(Optional<String> configured, Path dataDirectory) {
    if (configured.isPresent()) {
      return new ResolvedToken(new ApiToken(configured.get()), Source.CONFIGURED, Optional.empty());
    }
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return new ResolvedToken(new ApiToken(read(file)), Source.STORED, Optional.of(file));
      }
      Files.createDirectories(dataDirectory);
      String token = generate();
      try {
        write(file, token);
      } catch (FileAlreadyExistsException e) {
        // Another process started on the same directory first: use its token.
        return new ResolvedToken(new ApiToken(read(file)), Source.STORED, Optional.of(file));
      }
      return new ResolvedToken(new ApiToken(token), Source.GENERATED, Optional.of(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new OrchestrionException(
          StandardErrorCode.INTERNAL_ERROR,
          "Cannot read or create the API token file '" + file + "': " + e,
          e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  private static void write(Path file, String token) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
  }

  static String generate() {
    byte[] bytes = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

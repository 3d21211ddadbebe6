package io.orchestrion.engine;

import io.orchestrion.api.OrchestrionException;
import io.orchestrion.api.StandardErrorCode;
import io.orchestrion.engine.api.DefinitionHead;
import io.orchestrion.engine.api.Page;
import io.orchestrion.engine.definitions.DefinitionKind;
import io.orchestrion.engine.definitions.DefinitionStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Pages of definitions in api name order; the opaque cursor encodes the last api name shown, so a
 * definition deployed meanwhile appears in its place and none is shown twice.
 */
final class DefinitionPages {
  /** The largest page a caller may ask for. */
  static final int MAX_LIMIT = 500;

  private static final String PREFIX = "name|";

  private DefinitionPages() {}

  static Page<DefinitionHead> page(
      DefinitionStore store, DefinitionKind kind, Optional<String> cursor, int limit) {
    PageCursor.requireLimit(limit, MAX_LIMIT);
    Optional<String> after = cursor.map(DefinitionPages::decode);
    List<DefinitionHead> fetched = store.heads(kind, after, limit + 1);
    if (fetched.size() <= limit) {
      return new Page<>(fetched, Optional.empty());
    }
    List<DefinitionHead> page = fetched.subList(0, limit);
    return new Page<>(page, Optional.of(encode(page.get(limit - 1).apiName())));
  }

  private static String encode(String apiName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + apiName).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      raw = "";
    }
    if (!raw.startsWith(PREFIX) || raw.length() == PREFIX.length()) {
      throw new OrchestrionException(
          StandardErrorCode.INVALID_REQUEST,
          "invalid cursor '" + cursor + "': pass the nextCursor of a previous page");
    }
    return raw.substring(PREFIX.length());
  }
}

package io.orchestrion.benchmarks;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.Chunk;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.table.Table;

/**
 * Which of H2's B-trees the engine's commits rewrite, and how many bytes each costs (the diagnostic
 * behind {@code -Dbench.h2.pages=true}).
 *
 * <p>Every write of the file (at each commit with {@code WRITE_DELAY=0}; once per group of commits
 * with the engine's group commit) stores a chunk holding every page changed since the last one: the
 * leaf that took the change and its path to the root, for each table and index. A chunk's table of
 * contents names the map and the (bucketed) length of each page in it, so summing it over the
 * chunks written during the measurement shows where a commit's bytes go. This reads H2's internals
 * by reflection (H2 2.3: {@code FileStore.getChunks()}, {@code getToC(Chunk)}); it is a measuring
 * aid for the benchmark, not something the engine relies on.
 *
 * <p>Chunks whose pages are all rewritten are freed after H2's retention time (45 s by default), so
 * the figures cover the chunks still on file at the end: the last part of the measurement.
 */
final class H2PagesWritten {
  // H2 2.3's FileStore creates its layout map with id 0; it has no name in the meta map.
  private static final int LAYOUT_MAP_ID = 0;

  private final MVStore store;
  private final Database database;
  private final long versionAtStart;

  private H2PagesWritten(MVStore store, Database database) {
    this.store = store;
    this.database = database;
    this.versionAtStart = store.getCurrentVersion();
  }

  /** Starts counting from the store's current version. */
  static H2PagesWritten start(Connection embedded) throws SQLException {
    SessionLocal session = (SessionLocal) embedded.unwrap(JdbcConnection.class).getSession();
    Database database = session.getDatabase();
    return new H2PagesWritten(database.getStore().getMvStore(), database);
  }

  /** A table of bytes and pages per chunk by map, largest first. */
  String report() {
    Map<String, long[]> byMap = new HashMap<>();
    int chunks = 0;
    long bytes = 0;
    for (Chunk<?> chunk : chunksSinceStart()) {
      chunks++;
      for (long element : tableOfContents(chunk)) {
        String map = describe(DataUtils.getPageMapId(element));
        long length = DataUtils.getPageMaxLength(element);
        long[] figures = byMap.computeIfAbsent(map, name -> new long[2]);
        figures[0] += length;
        figures[1]++;
        bytes += length;
      }
    }
    if (chunks == 0) {
      return "H2 pages written: no chunk of the measurement is left on file";
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "H2 pages written per chunk (%d chunks still on file from the measurement; page lengths"
                + " are H2's bucketed upper bounds): %.1f KiB in all%n",
            chunks, bytes / 1024.0 / chunks));
    out.append(String.format("  %10s %8s  %s%n", "KiB/chunk", "pages", "map"));
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(byMap.entrySet());
    rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    for (Map.Entry<String, long[]> row : rows.subList(0, Math.min(30, rows.size()))) {
      out.append(
          String.format(
              "  %10.2f %8.2f  %s%n",
              row.getValue()[0] / 1024.0 / chunks,
              row.getValue()[1] / (double) chunks,
              row.getKey()));
    }
    return out.toString();
  }

  private List<Chunk<?>> chunksSinceStart() {
    try {
      FileStore<?> fileStore = store.getFileStore();
      Method getChunks = FileStore.class.getDeclaredMethod("getChunks");
      getChunks.setAccessible(true);
      List<Chunk<?>> chunks = new ArrayList<>();
      for (Object chunk : ((Map<?, ?>) getChunks.invoke(fileStore)).values()) {
        if (((Chunk<?>) chunk).version > versionAtStart) {
          chunks.add((Chunk<?>) chunk);
        }
      }
      return chunks;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("This H2 version hides its chunks differently", e);
    }
  }

  private long[] tableOfContents(Chunk<?> chunk) {
    try {
      Method getToC = FileStore.class.getDeclaredMethod("getToC", Chunk.class);
      getToC.setAccessible(true);
      return (long[]) getToC.invoke(store.getFileStore(), chunk);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("This H2 version hides a chunk's table of contents", e);
    }
  }

  /** "table.12" → "table EVENTS", "index.40" → "index EVENTS.IDX_..."; H2's own maps as named. */
  private String describe(int mapId) {
    if (mapId == LAYOUT_MAP_ID) {
      return "H2 layout (each chunk's entry and each map's root position)";
    }
    String name = store.getMapName(mapId);
    if (name == null) {
      return "map " + mapId + " (dropped)";
    }
    int dot = name.indexOf('.');
    if (dot < 0) {
      return name;
    }
    String kind = name.substring(0, dot);
    int id;
    try {
      id = Integer.parseInt(name.substring(dot + 1));
    } catch (NumberFormatException e) {
      return name;
    }
    for (Table table : tables()) {
      if (kind.equals("table") && table.getId() == id) {
        return "table " + table.getName();
      }
      for (Index index : table.getIndexes()) {
        if (kind.equals("index") && index.getId() == id) {
          return "index " + table.getName() + "." + index.getName();
        }
      }
    }
    return name;
  }

  private Collection<Table> tables() {
    List<Table> tables = new ArrayList<>();
    database.getAllSchemas().forEach(schema -> tables.addAll(schema.getAllTablesAndViews(null)));
    return tables;
  }
}

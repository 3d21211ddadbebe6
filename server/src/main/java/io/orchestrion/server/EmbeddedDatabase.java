package io.orchestrion.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The embedded H2 database file of a data directory, as the command line sees it. */
final class EmbeddedDatabase {
  /** The file H2 keeps the database in ({@code DataSources.h2FileUrl} names it "orchestrion"). */
  static final String FILE_NAME = "orchestrion.mv.db";

  private EmbeddedDatabase() {}

  /**
   * Whether a process (a running server, in this JVM or another) holds the database file open: H2
   * locks the whole file while it has it open. Asking takes a moment, where opening the database
   * would wait for H2's lock timeout and then fail.
   */
  static boolean inUse(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      // Unreadable here: let opening the database report why.
      return false;
    }
  }
}

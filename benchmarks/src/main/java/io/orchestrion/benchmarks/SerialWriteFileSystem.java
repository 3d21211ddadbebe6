package io.orchestrion.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@value #SCHEME}{@code :}, in front of the default one) whose every write of a
 * file goes through one {@link EmulatedDevice}: one write at a time, each holding the device for
 * the emulated time. It puts the commit bound where H2 writes, so that it applies to the engine's
 * own group commit (the engine commits in memory and writes the file once for a group of commits)
 * as it does to the baseline, whose {@code WRITE_DELAY=0} writes each commit. Reads are not
 * delayed. Benchmark-only: H2 creates an instance per path, through the public constructor.
 */
public final class SerialWriteFileSystem extends FilePathWrapper {
  static final String SCHEME = "benchserialwrite";

  private static volatile EmulatedDevice device;
  private static final AtomicLong WRITES = new AtomicLong();

  /** For H2, which makes one per path. */
  public SerialWriteFileSystem() {}

  /**
   * The H2 URL {@code fileUrl} ({@code jdbc:h2:file:...}) on this file system, whose writes each
   * take {@code perWrite}, one at a time.
   */
  static synchronized String onDevice(String fileUrl, Duration perWrite) {
    requireNonNull(perWrite, "perWrite is null");
    String filePrefix = "jdbc:h2:file:";
    if (!fileUrl.startsWith(filePrefix)) {
      throw new IllegalArgumentException("not an H2 file URL: " + fileUrl);
    }
    device = new EmulatedDevice(perWrite);
    FilePath.register(new SerialWriteFileSystem());
    return "jdbc:h2:" + SCHEME + ":" + fileUrl.substring(filePrefix.length());
  }

  /** Writes made through the device since the process started. */
  static long writes() {
    return WRITES.get();
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new Channel(getBase().open(mode));
  }

  /** The base file's channel, with its writes on the device. */
  private static final class Channel extends FileBase {
    private final FileChannel file;

    Channel(FileChannel file) {
      this.file = file;
    }

    private static <T> T onDevice(EmulatedDevice.Operation<T, IOException> write)
        throws IOException {
      WRITES.incrementAndGet();
      return device.use(write);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return onDevice(() -> file.write(src, position));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return onDevice(() -> file.write(src));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return file.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return file.read(dst);
    }

    @Override
    public long position() throws IOException {
      return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      file.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      file.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      file.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      file.close();
    }
  }
}

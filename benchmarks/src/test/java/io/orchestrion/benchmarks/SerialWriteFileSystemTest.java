package io.orchestrion.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulated device under an H2 file, and the device itself. */
class SerialWriteFileSystemTest {
  @Test
  void anH2FileOnTheDeviceWritesThroughItAndReadsBackAfterItIsOpenedAgain(@TempDir Path dir)
      throws Exception {
    String url =
        SerialWriteFileSystem.onDevice(
            "jdbc:h2:file:" + dir.resolve("db").toString().replace('\\', '/'),
            Duration.ofMillis(1));
    assertThat(url).startsWith("jdbc:h2:" + SerialWriteFileSystem.SCHEME + ":");
    long before = SerialWriteFileSystem.writes();
    try (Connection connection = DriverManager.getConnection(url + ";WRITE_DELAY=0");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(20))");
      statement.execute("INSERT INTO note VALUES (1, 'on the device')");
    }
    assertThat(SerialWriteFileSystem.writes()).isGreaterThan(before);
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT text FROM note WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("on the device");
    }
  }

  @Test
  void onlyAnH2FileUrlGoesOnTheDevice() {
    assertThatThrownBy(() -> SerialWriteFileSystem.onDevice("jdbc:h2:mem:x", Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an H2 file URL: jdbc:h2:mem:x");
  }

  @Test
  void theDeviceServesOneOperationAtATimeAndIsBusyForItsTimeAfterEach() throws Exception {
    EmulatedDevice device = new EmulatedDevice(Duration.ofMillis(30));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    long start = System.nanoTime();
    try {
      Future<?>[] uses = new Future<?>[4];
      for (int i = 0; i < uses.length; i++) {
        uses[i] =
            threads.submit(
                () ->
                    device.use(
                        () -> {
                          mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
                          inside.decrementAndGet();
                          return null;
                        }));
      }
      for (Future<?> use : uses) {
        use.get(10, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    // Four operations, each followed by 30 ms of the device's time before the next may start.
    assertThat(mostAtOnce.get()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(120));
    assertThatThrownBy(() -> new EmulatedDevice(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive: PT0S");
  }
}

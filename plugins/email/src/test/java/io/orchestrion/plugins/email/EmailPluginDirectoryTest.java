package io.orchestrion.plugins.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.PluginConfiguration;
import io.orchestrion.engine.plugins.PluginManager;
import io.orchestrion.engine.plugins.RegisteredListener;
import io.orchestrion.spi.notification.Notification;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin installed as the server installs third-party plugins: its jar and the jars it bundles
 * (Jakarta Mail, Angus, Activation) in a sub-directory of the plugin directory, loaded with a class
 * loader of its own that sees none of the host's libraries. Its listener, called by the host's way
 * (its loader as the context class loader), sends through a real SMTP server.
 */
class EmailPluginDirectoryTest {
  @RegisterExtension
  static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path plugins;

  @Test
  void fromItsOwnDirectoryWithItsBundledJarsThePluginSendsMail() throws Exception {
    Path directory = Files.createDirectories(plugins.resolve("email"));
    jar(codeSource(EmailPlugin.class), directory.resolve("orchestrion-plugin-email.jar"));
    for (Class<?> bundled :
        List.of(
            jakarta.mail.Session.class,
            org.eclipse.angus.mail.smtp.SMTPTransport.class,
            jakarta.activation.DataHandler.class)) {
      Path jar = codeSource(bundled);
      Files.copy(jar, directory.resolve(jar.getFileName()));
    }

    PluginManager manager =
        PluginManager.load(
            List.of(),
            new WithoutThisPlugin(getClass().getClassLoader()),
            Optional.of(plugins),
            PluginConfiguration.empty()
                .withSetting("email", "smtp.host", "127.0.0.1")
                .withSetting("email", "smtp.port", Integer.toString(smtp.getSmtp().getPort()))
                .withSetting("email", "from", "approvals@example.com")
                .withSetting("email", "console.url", "https://orchestrion.example.com"));

    assertThat(manager.pluginIds()).containsExactly("email");
    RegisteredListener registered = manager.notificationListeners().get(0);
    assertThat(registered.classLoader()).isNotSameAs(getClass().getClassLoader());
    assertThat(registered.listener().getClass().getClassLoader())
        .isSameAs(registered.classLoader());

    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(registered.classLoader());
    try {
      registered
          .listener()
          .deliver(
              new Notification(
                  new OrchestrationEvent(
                      "event-7",
                      7,
                      EventKind.RUN_COMPLETED,
                      "run-1",
                      "sub-1",
                      "Trip",
                      "rec-1",
                      Optional.of("Review"),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      Map.of("submissionStatus", "APPROVED"),
                      Instant.parse("2026-12-03T08:00:00Z")),
                  Optional.of("alice"),
                  Map.of("Title", "Oslo")),
              new MapDirectory().user("alice", "Alice", "alice@example.com"));
    } finally {
      thread.setContextClassLoader(previous);
    }

    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject()).isEqualTo("Approved: your Trip \"Oslo\"");
  }

  private static Path codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** A jar of the classes directory (or a copy of the jar) {@code source}. */
  private static void jar(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.copy(source, target);
      return;
    }
    try (OutputStream out = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(source.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
  }

  /**
   * The test's class loader without this module's own plugin registration, so that the plugin is
   * found in the plugin directory only (and not twice).
   */
  private static final class WithoutThisPlugin extends ClassLoader {
    private final Path ownClasses;

    WithoutThisPlugin(ClassLoader parent) throws URISyntaxException {
      super(parent);
      this.ownClasses = codeSource(EmailPlugin.class);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      List<URL> kept =
          Collections.list(super.getResources(name)).stream().filter(url -> !isOwn(url)).toList();
      return Collections.enumeration(kept);
    }

    private boolean isOwn(URL url) {
      try {
        return "file".equals(url.getProtocol()) && Path.of(url.toURI()).startsWith(ownClasses);
      } catch (URISyntaxException e) {
        return false;
      }
    }
  }
}

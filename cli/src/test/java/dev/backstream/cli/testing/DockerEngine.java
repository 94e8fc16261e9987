package dev.backstream.cli.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether this machine has a Docker engine Testcontainers can use, asked once per test JVM, and
 * whether that engine holds a given image. A {@code docker} client alone is not enough: it needs a
 * daemon to talk to. No registry is assumed: an image that is not on the engine is absent.
 */
public final class DockerEngine {
  /** The variable Testcontainers reads (only from the environment) to start without Ryuk. */
  public static final String RYUK_DISABLED_ENV = "TESTCONTAINERS_RYUK_DISABLED";

  private static Boolean present;

  private DockerEngine() {}

  /** True when Testcontainers reaches a Docker engine (the first call may take a few seconds). */
  public static synchronized boolean present() {
    if (present == null) {
      boolean found;
      try {
        found = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        found = false;
      }
      present = found;
    }
    return present;
  }

  /** Why there is no engine, in the words a skipped test reports. */
  public static String absenceReason() {
    String host = System.getenv("DOCKER_HOST");
    Path socket = Path.of("/var/run/docker.sock");
    String state = !Files.exists(socket) ? "absent"
        : accepts(socket) ? "accepts connections, so see Testcontainers' log for why it failed"
        : "present but not answering";
    return "no Docker engine: Testcontainers found no usable Docker environment (DOCKER_HOST "
        + (host == null ? "unset" : "'" + host + "'") + ", /var/run/docker.sock " + state + ")";
  }

  private static boolean accepts(Path socket) {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return channel.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  /** Where the engine is, for messages: DOCKER_HOST or the default socket. */
  public static String address() {
    return System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
  }

  /** True when the engine answers and holds {@code image} (name:tag) already. */
  public static boolean hasImage(String image) {
    if (!present()) {
      return false;
    }
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * Why containers cannot be started here, or empty if they can: an engine, Ryuk disabled (its
   * image cannot be pulled, and Testcontainers starts it before any container), and every image
   * in {@code images} on the engine.
   */
  public static Optional<String> unusableReason(String... images) {
    if (!present()) {
      return Optional.of(absenceReason());
    }
    if (!Boolean.parseBoolean(System.getenv(RYUK_DISABLED_ENV))) {
      return Optional.of(RYUK_DISABLED_ENV + " is not true: Testcontainers would pull its Ryuk "
          + "image, and no registry is assumed (cli/pom.xml sets it for Surefire)");
    }
    for (String image : images) {
      if (!hasImage(image)) {
        return Optional.of("the image " + image + " is not on the engine at " + address()
            + ": build it with scripts/docker-images.sh (after ./mvnw -DskipTests package)");
      }
    }
    return Optional.empty();
  }

  /** Skips the calling test, with the reason, when there is no engine; never passes it silently. */
  public static void assumePresent() {
    Assumptions.assumeTrue(present(), DockerEngine::absenceReason);
  }

  /** Skips the calling test, with the reason, unless {@link #unusableReason} is empty. */
  public static void assumeUsable(String... images) {
    Optional<String> why = unusableReason(images);
    Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
  }
}

package dev.backstream.cli.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether this machine has a Docker engine Testcontainers can use, asked once per test JVM. A
 * {@code docker} client alone is not enough: it needs a daemon to talk to.
 */
public final class DockerEngine {
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
    boolean socket = Files.exists(Path.of("/var/run/docker.sock"));
    return "no Docker engine: Testcontainers found no usable Docker environment (DOCKER_HOST "
        + (host == null ? "unset" : "'" + host + "'") + ", /var/run/docker.sock "
        + (socket ? "present but not answering" : "absent") + ")";
  }

  /** Skips the calling test, with the reason, when there is no engine; never passes it silently. */
  public static void assumePresent() {
    Assumptions.assumeTrue(present(), DockerEngine::absenceReason);
  }
}

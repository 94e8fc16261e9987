package dev.backstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.DockerEngine;
import dev.backstream.cli.testing.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Builds the Dockerfile and runs the image: where a Docker engine exists. Elsewhere it is reported
 * as skipped, with the reason; DeploymentFilesTest and .ci/run check the build steps instead.
 */
class DockerImageTest {
  private static final String TAG = "backstream:test";

  @Test
  void imageBuildsAndRunsAsAnUnprivilegedUser() throws Exception {
    // In the test, not in @BeforeAll: Surefire counts a class-level skip as zero tests run.
    DockerEngine.assumePresent();
    Path docker = Executables.onPath("docker");
    Assumptions.assumeTrue(docker != null, "no docker client on PATH to build the image with");
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("Dockerfile"))) {
      root = root.getParent();
    }
    // The docker client, not Testcontainers' builder: the Dockerfile uses BuildKit's cache mount.
    ProcessBuilder build = new ProcessBuilder(docker.toString(), "build", "-q", "-t", TAG, ".")
        .directory(root.toFile()).redirectErrorStream(true);
    build.environment().put("DOCKER_BUILDKIT", "1");
    Process p = build.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("docker build: %s", output).isZero();

    try (GenericContainer<?> version = new GenericContainer<>(DockerImageName.parse(TAG))
        .withCommand("--version")
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
      version.start();
      assertThat(version.getLogs()).startsWith("backstream ").contains("Java 17");
    }
    try (GenericContainer<?> id = new GenericContainer<>(DockerImageName.parse(TAG))
        .withCreateContainerCmdModifier(c -> c.withEntrypoint("id", "-u"))
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
      id.start();
      assertThat(id.getLogs().trim()).isEqualTo("10001");
    }
  }
}

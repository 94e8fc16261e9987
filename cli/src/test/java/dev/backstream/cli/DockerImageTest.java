package dev.backstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.DockerEngine;
import dev.backstream.cli.testing.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Builds the Dockerfile and runs the image, where a Docker engine exists: with {@code JAR=prebuilt}
 * on the Debian base image scripts/docker-images.sh imports, from the jar the host's Maven build
 * made (no registry is assumed, and a Maven build in a container may not reach Maven Central).
 * Elsewhere it is reported as skipped, with the reason; DeploymentFilesTest and .ci/run check the
 * from-source build's steps instead.
 */
class DockerImageTest {
  private static final String TAG = "backstream:test";
  private static final String BASE_IMAGE = "backstream/jre:17";

  @Test
  void imageBuildsFromTheHostJarAndRunsAsAnUnprivilegedUser() throws Exception {
    // In the test, not in @BeforeAll: Surefire counts a class-level skip as zero tests run.
    DockerEngine.assumeUsable(BASE_IMAGE);
    Path debian = Path.of("/usr/bin/docker");
    Path docker = Files.isExecutable(debian) ? debian : Executables.onPath("docker");
    Assumptions.assumeTrue(docker != null, "no docker client on PATH to build the image with");
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("Dockerfile"))) {
      root = root.getParent();
    }
    Path jar = root.resolve("cli/target/backstream.jar");
    Assumptions.assumeTrue(Files.isRegularFile(jar),
        "cli/target/backstream.jar is not built yet: .ci/run packages before the tests");
    Path context = Files.createDirectories(root.resolve("cli/target/docker/image-test"));
    Files.copy(jar, context.resolve("backstream.jar"), StandardCopyOption.REPLACE_EXISTING);

    // The docker client, not Testcontainers' builder: the Dockerfile uses BuildKit's features.
    ProcessBuilder build = new ProcessBuilder(docker.toString(), "build", "-q", "--network", "none",
        "-t", TAG, "-f", root.resolve("Dockerfile").toString(), "--build-arg", "JAR=prebuilt",
        "--build-arg", "JRE_IMAGE=" + BASE_IMAGE, "--build-arg", "JDK_IMAGE=" + BASE_IMAGE, ".")
        .directory(context.toFile()).redirectErrorStream(true);
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

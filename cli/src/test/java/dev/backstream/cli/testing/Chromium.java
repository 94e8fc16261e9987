package dev.backstream.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, for tests that check what a page draws. Where it is not
 * installed, the calling test is skipped with the reason ({@code .ci/run} installs it).
 */
public final class Chromium {
  /** A guard against a hung browser, not a measurement: a page loads in seconds. */
  private static final long LIMIT_SECONDS = 180;

  private Chromium() {}

  /** Skips the calling test, with the reason, when there is no {@code chromium} on the PATH. */
  public static Path assumePresent() {
    Path chromium = Executables.onPath("chromium");
    Assumptions.assumeTrue(chromium != null, "chromium is not installed: .ci/run installs Debian's "
        + "(apt-get install -y --no-install-recommends chromium)");
    return chromium;
  }

  /**
   * Loads {@code url}, lets its scripts run for 5 s of virtual time and returns the DOM as HTML.
   *
   * @param work an empty directory for the browser's profile and its log
   */
  public static String dumpDom(Path chromium, URI url, Path work) throws IOException, InterruptedException {
    Path dom = work.resolve("dom.html");
    Path log = work.resolve("chromium.log");
    // Without the background-networking flags Chromium tries Google's services first, and on a
    // closed network those refused connections hold the page up.
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + work.resolve("profile"),
        "--virtual-time-budget=5000", "--dump-dom", url.toString())
        .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
    boolean exited = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor();
    }
    assertThat(exited).as("chromium still running after %d s; its log: %s", LIMIT_SECONDS,
        Files.readString(log, StandardCharsets.UTF_8)).isTrue();
    assertThat(p.exitValue()).as("chromium's exit code; its log: %s",
        Files.readString(log, StandardCharsets.UTF_8)).isZero();
    return Files.readString(dom, StandardCharsets.UTF_8);
  }
}

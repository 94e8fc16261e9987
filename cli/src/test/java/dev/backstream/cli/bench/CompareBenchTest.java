package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.SubsetOnDisk;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench compare} end to end on the committed subset: one row per run, and a ratio that is
 * the quotient of the two walls. With torch the reference is DDP, without it our --local run; the
 * second test takes the path without torch on every machine. No figure is asserted.
 */
class CompareBenchTest {
  // rep, run, wall s, ms/step, steady ms, warm-up s, test acc
  private static final String ROW = "(?m)^1 +(\\S.*?) +(\\d+\\.\\d+) +(\\d+\\.\\d+) +(\\S+) +(\\S+) "
      + "+(\\d\\.\\d+)$";
  private static final Pattern RATIO =
      Pattern.compile("(?m)^1 +ratio ours/(ddp|local) (\\d+\\.\\d+) \\(steady (\\S+)\\)$");

  @Test
  void comparesOursWithWhatThisMachineHas(@TempDir Path dir) throws InterruptedException {
    Cli cli = new Cli();
    int status = cli.run("bench", "compare", "--data", SubsetOnDisk.write(dir).toString(),
        "--steps", "40");

    assertThat(status).as("exit code; stderr: %s", cli.err()).isEqualTo(ExitCodes.OK);
    String reference = checkTable(cli.out());
    assertThat(reference).isEqualTo(
        torchOnThisMachine() ? "ddp" : "local");
  }

  @Test
  void withoutTorchSaysHowToInstallItAndComparesWithTheLocalRun(@TempDir Path dir) {
    Cli cli = new Cli();
    int status = cli.run("bench", "compare", "--data", SubsetOnDisk.write(dir).toString(),
        "--steps", "40", "--python", dir.resolve("no-such-python").toString());

    assertThat(status).as("exit code; stderr: %s", cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains(CompareBench.INSTALL_TORCH);
    assertThat(checkTable(cli.out())).isEqualTo("local");
  }

  @Test
  void runsOursInTheNumberTypeAsked(@TempDir Path dir) {
    Cli cli = new Cli();
    int status = cli.run("bench", "compare", "--data", SubsetOnDisk.write(dir).toString(),
        "--steps", "40", "--dtype", "float32", "--python", dir.resolve("no-such-python").toString());

    assertThat(status).as("exit code; stderr: %s", cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(checkTable(cli.out())).isEqualTo("local");
    assertThat(cli.out()).contains("ours (train --workers 2, Kafka, float32)")
        .contains("ours (train --local, no Kafka, float32)");
  }

  @Test
  void anUnknownNumberTypeIsOneLineAndExit2() {
    Cli cli = new Cli();
    int status = cli.run("bench", "compare", "--dtype", "float16");

    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Invalid value 'float16' for --dtype: must be one of float64, float32")
        .doesNotContain("Exception");
  }

  /** Checks two rows and the ratio of their walls; returns the reference's id. */
  private static String checkTable(String out) {
    Matcher rows = Pattern.compile(ROW).matcher(out);
    assertThat(rows.find()).as("our row in%n%s", out).isTrue();
    assertThat(rows.group(1)).startsWith("ours (train --workers 2");
    double ours = Double.parseDouble(rows.group(2));
    // 40 steps of 20-step epochs (the subset's 2,000 images): two whole epochs, a steady pace
    double oursSteady = Double.parseDouble(rows.group(4));
    assertThat(rows.find()).as("the reference's row in%n%s", out).isTrue();
    double reference = Double.parseDouble(rows.group(2));
    double referenceSteady = Double.parseDouble(rows.group(4));
    assertThat(oursSteady).isPositive();
    assertThat(referenceSteady).isPositive();
    assertThat(ours).isPositive();
    assertThat(reference).isPositive();
    Matcher ratio = RATIO.matcher(out);
    assertThat(ratio.find()).as("the ratio line in%n%s", out).isTrue();
    double expected = ours / reference;
    // the walls are printed to 1 ms and the ratio to 0.01
    double slack = 0.006 + expected * (0.0006 / ours + 0.0006 / reference);
    assertThat(Double.parseDouble(ratio.group(2))).isCloseTo(expected, within(slack));
    double steadyExpected = oursSteady / referenceSteady;
    // the steady paces are printed to 1 us and their ratio to 0.01
    assertThat(Double.parseDouble(ratio.group(3))).isCloseTo(steadyExpected,
        within(0.006 + steadyExpected * (0.0006 / oursSteady + 0.0006 / referenceSteady)));
    assertThat(out).contains("ratio ours/" + ratio.group(1) + ": median");
    return ratio.group(1);
  }

  /** Whether the test machine has a python with torch, as the command looks for it. */
  private static boolean torchOnThisMachine() throws InterruptedException {
    return TorchReference.findPython() != null;
  }
}

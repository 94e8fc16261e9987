package dev.backstream.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --secure}: the one command, its embedded broker asking for logins and ACLs. */
class SecureTrainTest {
  private static final Pattern SHA = Pattern.compile("paramsSha256 ([0-9a-f]{64})");

  @Test
  void aSecuredOneCommandRunEndsOnTheLocalBits(@TempDir Path dir) throws Exception {
    String data = SubsetOnDisk.write(dir).toString();
    Cli cli = new Cli();
    int code = cli.run("train", "--secure", "--data", data, "--steps", "60", "--seed", "7",
        "--run", "secure-train");
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).contains("(SASL_PLAINTEXT with SCRAM-SHA-512, ACLs per role), run "
        + "'secure-train'");
    Matcher m = SHA.matcher(cli.out());
    assertThat(m.find()).as(cli.out()).isTrue();
    assertThat(m.group(1)).isEqualTo(LocalRun.paramsSha256(new RunSpec(DatasetName.MNIST,
        60, 100, 0.1, 50, Activation.RELU, 7, 4, 0.01)));
  }

  @Test
  void secureWithYourOwnKafkaIsAUsageLine() {
    Cli cli = new Cli();
    assertThat(cli.run("train", "--secure", "--bootstrap", "127.0.0.1:1")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--secure secures the embedded broker, not the Kafka of "
        + "--bootstrap");
  }
}

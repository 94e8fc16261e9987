package dev.backstream.cli;

import dev.backstream.cli.base.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.SubsetOnDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The executable as a user meets it: output, messages and exit codes. */
class CommandLineTest {
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void demoPrintsTheBooksFigures() {
    assertThat(run("demo")).isZero();
    assertThat(cli.out())
        .contains("price: 220", "dApple: 2.2  dApple_num: 110  dTax: 200")
        .contains("price: 715", "dOrange: 3.3  dOrange_num: 165  dTax: 650");
  }

  @Test
  void bareCommandListsTheSubcommands() {
    assertThat(run()).isZero();
    assertThat(cli.out()).contains("train", "coordinator", "worker", "metrics", "demo",
        "gradcheck", "data", "bench");
  }

  @Test
  void versionNamesTheProjectAndJava() {
    assertThat(run("--version")).isZero();
    assertThat(cli.out()).startsWith("backstream ").contains("Java 17");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "train --local --steps -1          | Invalid value -1 for --steps: must be at least 1",
    "train --local --batch 0           | Invalid value 0 for --batch: must be at least 1",
    "train --local --shards 101        | Invalid value 101 for --shards: must be in [1, 100]",
    "train --local --lr -0.1           | Invalid value -0.1 for --lr: must be a positive finite number",
    "train --local --lr NaN            | Invalid value NaN for --lr",
    "train --local --lr fast           | Invalid value for option '--lr': 'fast' is not a double",
    "train --local --dataset cifar     | Invalid value 'cifar' for --dataset: must be one of mnist, fashion-mnist",
    "train --local --activation tanh   | Invalid value 'tanh' for --activation: must be one of relu, sigmoid",
    "train --local --dtype float16     | Invalid value 'float16' for --dtype: must be one of float64, float32",
    "train --workers 0                 | Invalid value 0 for --workers: must be at least 1",
    "train --run bad/name              | Invalid value 'bad/name' for --run",
    "coordinator --bootstrap 127.0.0.1:1 --run col.x | Invalid value 'col.x' for --run: must be 1 to 100 characters from A-Z, a-z, 0-9, '_' and '-'",
    "train --local --frobnicate        | Unknown option: '--frobnicate'",
    "train --bootstrap notahostport    | Invalid value 'notahostport' for --bootstrap: 'notahostport' is not HOST:PORT",
    "worker --bootstrap 127.0.0.1:99999 | Invalid value '127.0.0.1:99999' for --bootstrap: port 99999 is not in 1 to 65535",
    "coordinator --bootstrap no-such-host.invalid:9092 | Invalid value 'no-such-host.invalid:9092' for --bootstrap: cannot resolve no-such-host.invalid",
    "train --kafka-config no/such.properties | Invalid value 'no/such.properties' for --kafka-config: no such file",
    "worker                            | Missing --bootstrap HOST:PORT",
    "worker --bootstrap 127.0.0.1:1 --run-key no/such.key | Invalid value 'no/such.key' for --run-key: no such file",
    "worker --bootstrap 127.0.0.1:1 --connect-timeout 0 | Invalid value 0 for --connect-timeout: must be at least 1",
    "coordinator --bootstrap 127.0.0.1:1 --checkpoint-every 0 | Invalid value 0 for --checkpoint-every: must be at least 1",
    "bench step --warmup 0             | Invalid value 0 for --warmup: must be at least 1",
    "bench step --workers 1,5          | Invalid value 5 for --workers: each must be in [1, 4]",
    "train --local --hidden 1000000000 | Invalid value 1000000000 for --hidden: must be in [1, 2701237] (the parameters in one Java array)",
    "train --hidden 2000               | Invalid value 2000 for --hidden: must be in [1, 1306] (8 bytes a parameter in a step frame of at most 8323072 bytes)",
    "coordinator --bootstrap 127.0.0.1:1 --hidden 2000 | Invalid value 2000 for --hidden: must be in [1, 1306]",
    "train --local --batch 100000      | Invalid value 100000 for --batch: must be in [1, 60000] (the training images of mnist)",
    "train --local --summary /nonexistent/dir/s.json | Invalid value /nonexistent/dir/s.json for --summary: folder /nonexistent/dir does not exist",
    "train --local --metrics-out /nonexistent/m.jsonl | Invalid value /nonexistent/m.jsonl for --metrics-out: folder /nonexistent does not exist",
    "train --local --save-model /proc/sys/m.npz | Invalid value /proc/sys/m.npz for --save-model: folder /proc/sys is not writable",
    "train --local --summary /tmp      | Invalid value /tmp for --summary: is a directory; name a file in it",
    "coordinator --bootstrap 127.0.0.1:1 --summary /nonexistent/s.json | Invalid value /nonexistent/s.json for --summary: folder /nonexistent does not exist",
    "report --metrics m.jsonl --out /nonexistent/dir | Invalid value /nonexistent/dir for --out: folder /nonexistent does not exist",
    "export --bootstrap 127.0.0.1:1 --out /nonexistent/m.npz | Invalid value /nonexistent/m.npz for --out: folder /nonexistent does not exist",
    "frobnicate                        | unknown command 'frobnicate'; commands are: train, predict, export, broker, acls, coordinator, worker, reducer, metrics, report, demo, gradcheck, data, bench",
    "data frobnicate                   | unknown command 'frobnicate'; commands are: fetch",
    "data                              | missing command; data commands are: fetch",
    "bench                             | missing command; bench commands are: compute, step, scale, compare, echo",
  })
  void badInputGetsOneLineAndExitCodeTwo(String args, String message) {
    assertThat(run(args.trim().split("\\s+"))).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "security.protocol=BOGUS | Invalid value 'BOGUS' for security.protocol in --kafka-config FILE: must be one of SASL_SSL, PLAINTEXT, SSL, SASL_PLAINTEXT (any case)",
    "security.protocol=SASL_PLAINTEXT\\nsasl.mechanism=SCRAM-SHA-512 | Missing sasl.jaas.config in --kafka-config FILE: security.protocol SASL_PLAINTEXT needs it (the login module, username and password for sasl.mechanism)",
    "linger.ms=abc                    | Invalid value 'abc' for linger.ms in --kafka-config FILE: must be a whole number",
    "request.timeout.ms=-5            | Invalid value '-5' for request.timeout.ms in --kafka-config FILE: must be at least 0",
    "acks=banana                      | Invalid value 'banana' for acks in --kafka-config FILE: must be one of all, -1, 0, 1",
    "security.protocol=SSL\\nssl.keystore.location=/no/such.jks\\nssl.keystore.password=x | Invalid value '/no/such.jks' for ssl.keystore.location in --kafka-config FILE: no such file",
  })
  void aClientSettingKafkaWouldRefuseIsOneLineBeforeAnyWork(String properties, String message,
      @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), properties.replace("\\n", "\n"));

    // no --bootstrap: the check must come before the embedded broker starts
    assertThat(run("train", "--steps", "1", "--kafka-config", file.toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("backstream: " + message.replace("FILE", file.toString()))
        .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("broker serving")
        .doesNotContain("String must").doesNotContain("of type LONG");
    // Kafka's own "Invalid value ... for configuration ..." is reworded, not quoted inside ours
    assertThat(cli.err().split("Invalid value", -1).length - 1).isLessThanOrEqualTo(1);
    assertThat(cli.err().lines()).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({"data, fetch", "bench, 'compute, step, scale, compare, echo'"})
  void aBareGroupCommandIsOneLineAndTheHelpHint(String command, String commands) {
    assertThat(run(command)).isEqualTo(ExitCodes.USAGE);
    // before: the line, then the whole usage
    assertThat(cli.err().lines()).containsExactly(
        "backstream: missing command; " + command + " commands are: " + commands,
        "Try 'backstream " + command + " --help'.");
  }

  @Test
  void nothingIsCreatedForAFolderThatDoesNotExist() {
    assertThat(run("train", "--local", "--summary", "/nonexistent/dir/s.json")).isEqualTo(ExitCodes.USAGE);
    assertThat(Path.of("/nonexistent")).doesNotExist();
  }

  @Test
  void everySubcommandPrintsTheVersion() {
    assertThat(run("train", "--version")).isZero();
    assertThat(cli.out()).startsWith("backstream ").contains("Java 17");
  }

  @Test
  void localWarnsOfEachKafkaOptionItIgnores(@TempDir Path dir) {
    String data = SubsetOnDisk.write(dir).toString();
    assertThat(run("train", "--local", "--data", data, "--steps", "1", "--workers", "3",
        "--bootstrap", "127.0.0.1:1", "--run-key", "no/such.key")).isZero();
    for (String option : new String[] {"--workers", "--bootstrap", "--run-key"}) {
      assertThat(cli.err()).as(option).contains("backstream: warning: " + option
          + " is ignored by --local: it trains in this process, without Kafka");
    }
  }

  @Test
  void aFolderWhereADataFileGoesIsNamedNotCalledMissing(@TempDir Path dir) throws Exception {
    SubsetOnDisk.write(dir);
    java.nio.file.Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    java.nio.file.Files.createDirectory(dir.resolve("t10k-labels-idx1-ubyte"));
    assertThat(run("gradcheck", "--data", dir.toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).contains(dir.resolve("t10k-labels-idx1-ubyte") + ": is a directory")
        .doesNotContain("missing");
  }

  @Test
  void corruptDataIsARuntimeFailureNamingTheFile(@TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("train-images-idx3-ubyte"), "not an idx file");
    for (var f : new String[] {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      java.nio.file.Files.writeString(dir.resolve(f), "x");
    }
    assertThat(run("train", "--local", "--data", dir.toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).contains(dir.resolve("train-images-idx3-ubyte").toString())
        .doesNotContain("\tat ");
  }

  @Test
  void anUnreachableBrokerIsOneLineAfterTheConnectTimeout(@TempDir Path dir) throws Exception {
    String bootstrap = "127.0.0.1:" + EmbeddedKafkaBroker.freePort();
    String data = SubsetOnDisk.write(dir).toString();
    String out = dir.resolve("out").toString();
    for (String[] command : new String[][] {
        {"coordinator", "--data", data}, {"worker", "--data", data}, {"metrics", "--run", "x"},
        {"metrics", "--follow"}, {"report", "--out", out}, {"export", "--out", out + ".npz"}}) {
      cli.clear();
      String role = String.join(" ", command);
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
          java.util.stream.Stream.of("--bootstrap", bootstrap, "--connect-timeout", "2"))
          .toArray(String[]::new);
      assertThat(run(args)).as(role).isEqualTo(ExitCodes.FAILURE);
      assertThat(cli.err().strip()).as(role)
          .isEqualTo("backstream: cannot reach Kafka at " + bootstrap + " within 2 s: check"
              + " --bootstrap (HOST:PORT of a running broker) and --kafka-config");
    }
  }

  @Test
  void gradcheckPassesOnTheFirstThreeImages(@TempDir Path dir) {
    assertThat(run("gradcheck", "--data", SubsetOnDisk.write(dir).toString())).isZero();
    String[] lines = cli.out().split("\\R");
    assertThat(lines).hasSize(5);
    for (int i = 0; i < 4; i++) {
      assertThat(lines[i]).startsWith(new String[] {"W1: ", "b1: ", "W2: ", "b2: "}[i]);
      assertThat(Double.parseDouble(lines[i].substring(4))).isLessThan(1e-6);
    }
  }

  @Test
  void localTrainingWritesItsSummary(@TempDir Path dir) throws Exception {
    Path data = SubsetOnDisk.write(dir);
    Path summary = dir.resolve("summary.json");
    assertThat(run("train", "--local", "--data", data.toString(), "--steps", "40", "--summary",
        summary.toString())).isZero();
    JsonNode json = new ObjectMapper().readTree(summary.toFile());
    for (String key : new String[] {"steps", "batch", "lr", "hidden", "seed", "shards", "dtype",
        "trainAccuracy", "testAccuracy", "loss", "wallSeconds", "stepsPerSecond", "paramsSha256"}) {
      assertThat(json.has(key)).as(key).isTrue();
    }
    assertThat(json.get("steps").asInt()).isEqualTo(40);
    assertThat(json.get("paramsSha256").asText()).hasSize(64);
    // a local run says what ran instead of "workers": 0, and the file ends its last line
    assertThat(json.get("mode").asText()).isEqualTo("local");
    assertThat(json.has("workers")).isFalse();
    assertThat(java.nio.file.Files.readString(summary)).endsWith("}\n");
    assertThat(cli.out()).contains("paramsSha256 " + json.get("paramsSha256").asText());
    assertThat(json.get("dtype").asText()).isEqualTo("float64");
  }

  @Test
  void aFloat32RunSaysSoAndEndsOnItsOwnBits(@TempDir Path dir) throws Exception {
    Path data = SubsetOnDisk.write(dir);
    Path summary = dir.resolve("summary.json");
    assertThat(run("train", "--local", "--data", data.toString(), "--steps", "20", "--dtype",
        "float32", "--summary", summary.toString())).isZero();
    JsonNode json = new ObjectMapper().readTree(summary.toFile());
    assertThat(cli.out()).contains(" dtype=float32 in this process");
    assertThat(json.get("dtype").asText()).isEqualTo("float32");
    cli.clear();
    assertThat(run("train", "--local", "--data", data.toString(), "--steps", "20")).isZero();
    assertThat(cli.out()).contains("paramsSha256 ").doesNotContain("paramsSha256 " + json.get("paramsSha256").asText());
  }
}

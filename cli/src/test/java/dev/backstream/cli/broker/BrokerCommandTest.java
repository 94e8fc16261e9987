package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.Main;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code backstream broker} as the local cluster runs it: its own JVM, stopped by SIGTERM. */
class BrokerCommandTest {
  // a broker starts in about 5 s, but took 49 s on a 2-core machine at load 90
  private static final Duration START_WAIT = Duration.ofSeconds(180);
  private static final Pattern SERVING = Pattern.compile("Kafka broker serving at (\\S+)");

  @TempDir Path tmp;

  @Test
  void servesUntilSigtermAndKeepsItsData() throws Exception {
    Path data = tmp.resolve("kafka");
    Topics topics = Topics.forRun("broker-command");
    try (ChildJvm broker = ChildJvm.start("broker", tmp.resolve("broker.log"), List.of("broker",
        "--port", "0", "--controller-port", "0", "--data", data.toString()))) {
      String bootstrap = awaitServing(broker);
      assertThat(bootstrap).startsWith("127.0.0.1:");
      assertThat(KafkaTopics.ensureRunTopics(KafkaSettings.of(bootstrap), topics,
          Duration.ofSeconds(30))).containsExactlyElementsOf(topics.all());

      assertThat(broker.terminate()).as("SIGTERM ends the broker").isNotEqualTo(-1);
      assertThat(broker.isAlive()).isFalse();
    }
    assertThat(data.resolve("logs").resolve("meta.properties")).isRegularFile();
    assertThat(data.resolve("logs").resolve(topics.steps() + "-0")).isDirectory();
  }

  @Test
  void aSecondBrokerOnTheSameDataRefusesAndTheFirstServesOn() throws Exception {
    Path data = tmp.resolve("shared");
    Topics before = Topics.forRun("first-broker");
    Topics after = Topics.forRun("still-serving");
    try (ChildJvm first = ChildJvm.start("first broker", tmp.resolve("first.log"), List.of("broker",
        "--port", "0", "--controller-port", "0", "--data", data.toString()))) {
      String bootstrap = awaitServing(first);
      KafkaSettings kafka = KafkaSettings.of(bootstrap);
      KafkaTopics.ensureRunTopics(kafka, before, Duration.ofSeconds(30));

      // in its own JVM: a second broker that did start would never return from the command
      Path secondLog = tmp.resolve("second.log");
      try (ChildJvm second = ChildJvm.start("second broker", secondLog, List.of("broker",
          "--port", "0", "--controller-port", "0", "--data", data.toString()))) {
        assertThat(exitCode(second, START_WAIT)).isEqualTo(ExitCodes.FAILURE);
      }
      assertThat(Files.readString(secondLog).strip()).isEqualTo(
          "backstream: " + data + " is in use by a broker, pid " + first.pid());

      assertThat(first.isAlive()).isTrue();
      assertThat(KafkaTopics.ensureRunTopics(kafka, after, Duration.ofSeconds(30)))
          .containsExactlyElementsOf(after.all());
      try (Admin admin = Admin.create(kafka.admin("check"))) {
        assertThat(admin.listTopics().names().get()).containsAll(before.all());
      }
      assertThat(Files.readString(first.log())).doesNotContain("ERROR", "Exception");
    }
  }

  @Test
  void aDataFolderThatIsAFileIsOneLineWithoutAStackTrace() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    Path log = tmp.resolve("file.log");
    try (ChildJvm broker = ChildJvm.start("broker", log, List.of("broker", "--port", "0",
        "--controller-port", "0", "--data", file.toString()))) {
      assertThat(exitCode(broker, START_WAIT)).isEqualTo(ExitCodes.FAILURE);
    }
    assertThat(Files.readAllLines(log)).containsExactly("backstream: Failed to start the "
        + "embedded Kafka broker: " + file + " exists and is not a directory");

    Path logsAFile = Files.createDirectories(tmp.resolve("logs-a-file"));
    Files.writeString(logsAFile.resolve("logs"), "x");
    StringWriter err = new StringWriter();
    assertThat(run(err, "broker", "--port", "0", "--controller-port", "0", "--data",
        logsAFile.toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString().strip()).isEqualTo("backstream: Failed to start the embedded Kafka "
        + "broker: " + logsAFile.resolve("logs") + " exists and is not a directory");
  }

  @Test
  void aTakenPortIsOneLineNamingTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter err = new StringWriter();
      int code = run(err, "broker", "--port", Integer.toString(taken.getLocalPort()),
          "--controller-port", "0");
      assertThat(code).isEqualTo(ExitCodes.FAILURE);
      assertThat(err.toString())
          .contains("Port " + taken.getLocalPort() + " of 127.0.0.1 is taken", "--port")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void badPortsAreUsageErrors() {
    StringWriter err = new StringWriter();
    assertThat(run(err, "broker", "--port", "70000")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Invalid value 70000 for --port: must be in [0, 65535]");

    StringWriter same = new StringWriter();
    assertThat(run(same, "broker", "--port", "19555", "--controller-port", "19555"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(same.toString()).contains("Invalid value 19555 for --controller-port: must differ");
  }

  private static int run(StringWriter err, String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Waits for the child to exit by itself; fails the test if it still runs after {@code wait}. */
  private static int exitCode(ChildJvm process, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (process.isAlive()) {
      assertThat(System.nanoTime()).as(process + " still runs").isLessThan(deadline);
      Thread.sleep(50);
    }
    return process.terminate();
  }

  private static String awaitServing(ChildJvm process) throws Exception {
    process.awaitOutput("Kafka broker serving at", START_WAIT);
    Matcher m = SERVING.matcher(Files.readString(process.log()));
    assertThat(m.find()).as("the serving line names HOST:PORT").isTrue();
    return m.group(1);
  }
}

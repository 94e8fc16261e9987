package dev.backstream.cli.broker;

import dev.backstream.cli.ExitCodes;
import dev.backstream.cli.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream broker}: the embedded single-node KRaft broker as a process of its own, until
 * SIGTERM or Ctrl-C. It is what {@code scripts/local-cluster.sh} runs in place of a Kafka
 * container: a real broker, from our own jar, with no Kafka distribution to install.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 until stopped.")
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "${env:BACKSTREAM_BROKER_PORT:-9092}",
      description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}; env BACKSTREAM_BROKER_PORT).")
  int port;

  @Option(names = "--controller-port", defaultValue = "${env:BACKSTREAM_BROKER_CONTROLLER_PORT:-9093}",
      description = "KRaft controller port; 0 picks a free one (default: ${DEFAULT-VALUE}; "
          + "env BACKSTREAM_BROKER_CONTROLLER_PORT).")
  int controllerPort;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:BACKSTREAM_BROKER_DATA}",
      description = "Keep the broker's logs in DIR, and reuse them on the next start (default: a "
          + "temporary folder deleted at exit; env BACKSTREAM_BROKER_DATA).")
  Path data;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedKafkaBroker.Options options;
    try {
      options = new EmbeddedKafkaBroker.Options(port, controllerPort, data);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage()
          .replace(" for port:", " for --port:")
          .replace(" for controllerPort:", " for --controller-port:"));
    }
    checkFree("--port", port);
    checkFree("--controller-port", controllerPort);
    EmbeddedKafkaBroker broker;
    // --verbose turns our debug logging on: then Kafka's own account of a failed start is wanted
    boolean verbose = LoggerFactory.getLogger("dev.backstream").isDebugEnabled();
    try (QuietStart quiet = verbose ? null : QuietStart.begin()) {
      broker = EmbeddedKafkaBroker.start(options);
    } catch (KafkaException e) {
      // exit 1, as for a taken port: the command line is right, a resource is busy or unusable
      UserException failure = UserException.failure(EmbeddedKafkaBroker.inUse(e)
          ? e.getCause().getMessage() : e.getMessage());
      failure.initCause(e); // for --verbose's stack trace
      throw failure;
    }
    // The broker closes itself in its own shutdown hook (SIGTERM, Ctrl-C); this thread only waits.
    PrintWriter out = spec.commandLine().getOut();
    out.println("Kafka broker serving at " + broker.bootstrapServers() + " (data in "
        + broker.dataDirectory() + (data == null ? ", deleted at exit)" : ", kept)"));
    out.flush();
    new CountDownLatch(1).await();
    return ExitCodes.OK;
  }

  /** A taken port gets one line naming the option, rather than Kafka's bind failure. */
  private static void checkFree(String option, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(EmbeddedKafkaBroker.HOST))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw UserException.failure("Port " + port + " of " + EmbeddedKafkaBroker.HOST + " is taken ("
          + e.getMessage() + "): choose another with " + option);
    }
  }
}

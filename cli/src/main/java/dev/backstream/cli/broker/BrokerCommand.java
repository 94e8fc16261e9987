package dev.backstream.cli.broker;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Option(names = "--users", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_BROKER_USERS}",
      description = "Secure the broker: clients log in with SCRAM-SHA-512 as the users of FILE, "
          + "one 'ROLE NAME PASSWORD' a line (ROLE: admin, exactly one, the super user; "
          + "coordinator, worker, reducer, viewer), and may do only what their role's ACLs allow "
          + "(env BACKSTREAM_BROKER_USERS). With --data, the users are written when the folder "
          + "is first formatted.")
  Path users;

  @Option(names = "--keystore", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_BROKER_KEYSTORE}",
      description = "With --users: listen with SASL_SSL, the broker's key and certificate from this "
          + "PKCS12 or JKS keystore (env BACKSTREAM_BROKER_KEYSTORE).")
  Path keystore;

  @Option(names = "--keystore-password", paramLabel = "PASSWORD",
      defaultValue = "${env:BACKSTREAM_BROKER_KEYSTORE_PASSWORD}",
      description = "The keystore's password, also its key's (env "
          + "BACKSTREAM_BROKER_KEYSTORE_PASSWORD: prefer it, a command line is visible to others).")
  String keystorePassword;

  /** With --users. */
  @Mixin GrantedRuns granted;

  private List<String> runs;

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
    BrokerSecurity security = security();
    checkFree("--port", port);
    checkFree("--controller-port", controllerPort);
    EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.start(options, security);
    } catch (KafkaException e) {
      // exit 1, as for a taken port: the command line is right, a resource is busy or unusable
      UserException failure = UserException.failure(EmbeddedKafkaBroker.inUse(e)
          ? e.getCause().getMessage() : e.getMessage());
      failure.initCause(e); // for --verbose's stack trace
      throw failure;
    }
    // The broker closes itself in its own shutdown hook (SIGTERM, Ctrl-C); this thread only waits.
    PrintWriter out = spec.commandLine().getOut();
    if (security.enabled()) {
      // before the serving line, which scripts wait for: a client let in must find its ACLs
      grant(broker, security);
    }
    out.println("Kafka broker serving at " + broker.bootstrapServers() + " (data in "
        + broker.dataDirectory() + (data == null ? ", deleted at exit)" : ", kept)"));
    if (security.enabled()) {
      out.println("Clients log in with " + BrokerSecurity.MECHANISM + " over "
          + security.protocol() + "; " + (security.users().isEmpty() ? "only the admin may act"
          : "ACLs for run(s) " + String.join(", ", runs) + ": " + security.users()));
    }
    out.flush();
    new CountDownLatch(1).await();
    return ExitCodes.OK;
  }

  /** The broker's security from --users and --keystore: open without them. */
  private BrokerSecurity security() {
    boolean noUsers = users == null || users.toString().isBlank();
    boolean noKeystore = keystore == null || keystore.toString().isBlank();
    if (noUsers) {
      if (!noKeystore) {
        throw UserException.usage("--keystore needs --users: SASL_SSL asks every client for a "
            + "login, and FILE names who may log in");
      }
      return BrokerSecurity.NONE;
    }
    runs = granted.checked();
    BrokerTls tls = null;
    if (!noKeystore) {
      try {
        tls = BrokerTls.load(keystore, keystorePassword);
      } catch (IllegalArgumentException e) {
        throw UserException.usage("Invalid value " + keystore + " for --keystore: " + e.getMessage());
      }
    }
    return loadUsers(users, tls);
  }

  /** The users of {@code file}; a mistake in it is a usage line naming --users. */
  static BrokerSecurity loadUsers(Path file, BrokerTls tls) {
    try {
      return UsersFile.load(file, tls);
    } catch (IllegalArgumentException e) {
      throw UserException.usage("Invalid value " + file + " for --users: " + e.getMessage());
    }
  }

  /** Creates the roles' ACLs; a broker that cannot be secured as asked does not serve. */
  private void grant(EmbeddedKafkaBroker broker, BrokerSecurity security)
      throws InterruptedException {
    try {
      security.grant(broker.bootstrapServers(), runs);
    } catch (RuntimeException e) {
      broker.close();
      throw UserException.failure("the broker started but could not create its ACLs ("
          + SecurityRefusals.ofAdmin(e, security, broker.bootstrapServers()) + ")"
          + (data == null ? "" : "; users are written when --data is first formatted: to "
          + "change them, start on a new folder"));
    }
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

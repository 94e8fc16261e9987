package dev.backstream.cli.broker;

import dev.backstream.cli.base.Causes;
import dev.backstream.common.kafka.AccessRefusedException;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaUnreachableException;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Turns a secured broker's refusal, wherever it sits in a cause chain, into the one line a user
 * needs: which principal was refused what operation on which topic (or transactional id, or
 * group), and what would let it through; without a stack trace.
 */
public final class SecurityRefusals {

  private static final Pattern TOPIC_IN_MESSAGE = Pattern.compile("topics? \\[?([A-Za-z0-9._-]+)");
  private static final int PROBE_MILLIS = 1000;

  private SecurityRefusals() {}

  /**
   * What the failed command was: who it logged in as, in which run, against which servers.
   *
   * @param user the user name of {@code sasl.jaas.config}, or null if it did not log in
   * @param protocol its {@code security.protocol} ({@code PLAINTEXT} by default)
   * @param run the {@code --run}, or null
   * @param bootstrap the {@code --bootstrap}, or null
   */
  public record Client(String user, String protocol, String run, String bootstrap) {

    /** A client that logs in as {@code user} over {@code protocol}. */
    public static Client of(String user, String protocol, String run, String bootstrap) {
      return new Client(user, protocol, run, bootstrap);
    }

    /** The client of {@code properties}, a Kafka client configuration. */
    static Client of(Properties properties, String run, String bootstrap) {
      String protocol = properties.getProperty("security.protocol", "PLAINTEXT");
      return new Client(KafkaSettings.jaasUser(properties.getProperty("sasl.jaas.config", ""))
          .orElse(null), protocol, run, bootstrap);
    }

    /**
     * The client of the command that {@code parsed} ran: its {@code --kafka-config} (or
     * environment default), {@code --run} and {@code --bootstrap}. Unreadable files are no client
     * configuration: the command reported them itself.
     */
    public static Client of(ParseResult parsed) {
      if (parsed == null) {
        return new Client(null, "PLAINTEXT", null, null);
      }
      List<CommandLine> commands = parsed.asCommandLineList();
      CommandLine.Model.CommandSpec spec = commands.get(commands.size() - 1).getCommandSpec();
      Properties properties = new Properties();
      Object config = value(spec.findOption("--kafka-config"));
      if (config instanceof Path file && !file.toString().isBlank()) {
        try (Reader in = Files.newBufferedReader(file)) {
          properties.load(in);
        } catch (IOException | RuntimeException e) {
          // the command has said what is wrong with the file already
        }
      }
      Object run = value(spec.findOption("--run"));
      Object bootstrap = value(spec.findOption("--bootstrap"));
      return of(properties, run instanceof String r ? r : null,
          bootstrap instanceof String b && !b.isBlank() ? b : null);
    }

    private static Object value(OptionSpec option) {
      return option == null ? null : option.getValue();
    }

    String who() {
      return AccessRefusedException.who(user);
    }
  }

  /** The line for {@code e}, or empty if no cause of it is an authentication or ACL refusal. */
  public static Optional<String> describe(Throwable e) {
    return describe(e, new Client(null, "PLAINTEXT", null, null));
  }

  /**
   * The line for {@code e}, thrown by {@code client}'s command, or empty if no cause of it is an
   * authentication or ACL refusal.
   */
  public static Optional<String> describe(Throwable e, Client client) {
    return describe(e, client, "sasl.jaas.config of --kafka-config");
  }

  /**
   * {@link #describe(Throwable, Client)} for a client whose login comes from {@code login}, e.g.
   * "sasl.jaas.config of --kafka-config".
   */
  private static Optional<String> describe(Throwable e, Client client, String login) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // before AuthenticationException, its superclass: a handshake fails before any login
      if (t instanceof SslAuthenticationException) {
        return Optional.of(handshake(t, client));
      }
      if (t instanceof AuthenticationException) {
        return Optional.of("the broker refused the login of " + client.who() + " ("
            + firstLine(t.getMessage()) + "): check the user and password in " + login);
      }
      if (t instanceof TopicAuthorizationException topics) {
        String names = topics.unauthorizedTopics().isEmpty() ? topicIn(e)
            : String.join(", ", topics.unauthorizedTopics());
        return Optional.of(AccessRefusedException.line(client.user(), operation(e), names)
            + " (refused by the broker's ACLs): run this command as a user of the role that may "
            + "(see 'backstream broker --help', --users)");
      }
      if (t instanceof TransactionalIdAuthorizationException) {
        String id = "backstream-coordinator-" + (client.run() == null ? "<run>" : client.run());
        return Optional.of(client.who() + " may not WRITE to transactional id '" + id
            + "' (refused by the broker's ACLs): only the run's coordinator role may; log in as a "
            + "coordinator user in --kafka-config");
      }
      if (t instanceof GroupAuthorizationException group) {
        return Optional.of(client.who() + " may not READ group '" + group.groupId()
            + "' (refused by the broker's ACLs)");
      }
      if (t instanceof ClusterAuthorizationException) {
        return Optional.of("the broker refused " + client.who() + " a cluster operation ("
            + firstLine(t.getMessage()) + ")");
      }
      if (t instanceof AuthorizationException) {
        return Optional.of("the broker refused " + client.who() + ": " + firstLine(t.getMessage()));
      }
    }
    return Optional.empty();
  }

  /** Why {@code security}'s admin failed to create ACLs on {@code bootstrap}: one line. */
  static String ofAdmin(RuntimeException e, BrokerSecurity security, String bootstrap) {
    return ofAdmin(e, Client.of(security.superUser(), security.protocol(), null, bootstrap), null);
  }

  /**
   * Why {@code admin}, the admin of a users file, failed to create ACLs: one line. A client
   * without TLS that timed out on a port that speaks TLS is told to use {@code SASL_SSL}: a
   * SASL_SSL listener closes its connections, which the client retries until it gives up; any
   * other time-out is a Kafka that did not answer within {@code waited}.
   *
   * @param waited how long the admin waited for Kafka, or null where it is not the user's to set
   */
  static String ofAdmin(RuntimeException e, Client admin, Duration waited) {
    Optional<String> refused = describe(e, admin, "the admin line of --users");
    if (refused.isPresent()) {
      return refused.get();
    }
    boolean timedOut = Causes.any(e, TimeoutException.class);
    if (timedOut && "SASL_PLAINTEXT".equalsIgnoreCase(admin.protocol())
        && speaksTls(admin.bootstrap())) {
      return "the broker at " + firstServer(admin.bootstrap()) + " answered no request of "
          + admin.who() + " over SASL_PLAINTEXT, and its port speaks TLS: set "
          + "security.protocol=SASL_SSL and ssl.truststore.location (a trust store holding the "
          + "broker's certificate) in --kafka-config";
    }
    if (timedOut && waited != null) {
      return new KafkaUnreachableException(admin.bootstrap(), waited).getMessage();
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * A failed TLS handshake, by its causes: a broker certificate the client's trust store does not
   * trust (Java's PKIX checks failed), one that does not name the host dialled, or anything else
   * TLS refused.
   */
  private static String handshake(Throwable e, Client client) {
    String broker = client.bootstrap() == null ? "the broker"
        : "the broker at " + client.bootstrap();
    String root = "";
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
          || message.startsWith("PKIX path")) {
        return "the TLS handshake with " + broker + " failed: its certificate is not trusted by "
            + "the trust store of --kafka-config: set ssl.truststore.location (and "
            + "ssl.truststore.type) to one that holds the broker's certificate, or the CA's that "
            + "signed it";
      }
      if (message.contains("subject alternative names") || message.contains("No name matching")) {
        return "the TLS handshake with " + broker + " failed: its certificate does not name the "
            + "host dialled (" + firstLine(message) + "): use a --bootstrap host that the "
            + "certificate names";
      }
      root = message.isBlank() ? root : firstLine(message);
    }
    return "the TLS handshake with " + broker + " failed (" + root + "): check security.protocol "
        + "and the ssl.* settings of --kafka-config";
  }

  /**
   * Why a broker that accepts connections answered nothing: a client without a login on a
   * listener that asks for one (a SASL listener closes the connection of a PLAINTEXT client at its
   * first request, which the client takes for a broker not there yet). Empty when the client did
   * log in, or the broker's port does not accept connections either.
   */
  public static Optional<String> unreachable(KafkaUnreachableException e, Client client) {
    if (client.bootstrap() == null || !"PLAINTEXT".equalsIgnoreCase(client.protocol())) {
      return Optional.empty();
    }
    InetSocketAddress first = address(client.bootstrap());
    if (first == null) {
      return Optional.empty();
    }
    try (Socket socket = new Socket()) {
      socket.connect(first, PROBE_MILLIS);
    } catch (IOException | RuntimeException notListening) {
      return Optional.empty();
    }
    return Optional.of("the broker at " + firstServer(client.bootstrap()) + " accepts connections "
        + "but answered no request of " + client.who() + " (security.protocol PLAINTEXT): it asks "
        + "for a login; set security.protocol=SASL_PLAINTEXT (or SASL_SSL), sasl.mechanism="
        + BrokerSecurity.MECHANISM + " and sasl.jaas.config in --kafka-config");
  }

  /**
   * Whether the first of {@code bootstrap}'s servers answers a TLS handshake. A certificate this
   * JVM does not trust counts too (the port spoke TLS to refuse it); nothing is sent after the
   * handshake.
   */
  static boolean speaksTls(String bootstrap) {
    InetSocketAddress first = address(bootstrap);
    if (first == null) {
      return false;
    }
    try (SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault().createSocket()) {
      socket.connect(first, PROBE_MILLIS);
      socket.setSoTimeout(PROBE_MILLIS);
      socket.startHandshake();
      return true;
    } catch (SSLHandshakeException e) {
      // a plain listener closes the connection: "Remote host terminated the handshake"
      return Causes.any(e, CertPathBuilderException.class, CertPathValidatorException.class);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The first {@code HOST:PORT} of {@code bootstrap}, stripped. */
  private static String firstServer(String bootstrap) {
    return bootstrap.split(",")[0].strip();
  }

  /** The address of {@link #firstServer}, or null if {@code bootstrap} is none or not HOST:PORT. */
  private static InetSocketAddress address(String bootstrap) {
    if (bootstrap == null) {
      return null;
    }
    String first = firstServer(bootstrap);
    int colon = first.lastIndexOf(':');
    if (colon < 1) {
      return null;
    }
    try {
      return new InetSocketAddress(first.substring(0, colon),
          Integer.parseInt(first.substring(colon + 1)));
    } catch (IllegalArgumentException notHostPort) {
      return null;
    }
  }

  /**
   * The refused operation, from what failed: our own messages for admin calls, else the client
   * whose code threw (a producer writes, a consumer reads).
   */
  private static AclOperation operation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (message.startsWith("Cannot create topic")) {
        return AclOperation.CREATE;
      }
      if (message.startsWith("Cannot set the retention")) {
        return AclOperation.ALTER_CONFIGS;
      }
      if (message.startsWith("Cannot list topics") || message.startsWith("Cannot describe topics")) {
        return AclOperation.DESCRIBE;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith("org.apache.kafka.clients.producer")) {
          return AclOperation.WRITE;
        }
        if (frame.getClassName().startsWith("org.apache.kafka.clients.consumer")) {
          return AclOperation.READ;
        }
      }
    }
    return null;
  }

  /** The topic named in a message of the chain, for refusals that do not list their topics. */
  private static String topicIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = TOPIC_IN_MESSAGE.matcher(t.getMessage() == null ? "" : t.getMessage());
      if (m.find() && m.group(1).startsWith("backstream.")) {
        return m.group(1);
      }
    }
    return "(not named by the broker)";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.strip().split("\\R", 2)[0];
  }
}

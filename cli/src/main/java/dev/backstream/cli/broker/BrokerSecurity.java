package dev.backstream.cli.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a secured broker asks of its clients: SCRAM-SHA-512 over a SASL listener, KRaft's
 * {@code StandardAuthorizer} with nothing allowed where no ACL says so, and one super user (the
 * broker itself, and whoever creates the ACLs). {@link #NONE} is the plain, open broker.
 *
 * <p>The credentials are written into the storage at format time ({@code --add-scram}), so the
 * broker accepts them from its first request; the controller listener stays PLAINTEXT on
 * loopback, whose anonymous principal is the broker talking to its own controller.
 *
 * @param superUser the super user's name, or null for an open broker
 * @param superPassword its password
 * @param users every other user's password, by name
 */
public record BrokerSecurity(String superUser, String superPassword, Map<String, String> users) {

  /** No SASL, no authorizer: every client may do everything. */
  public static final BrokerSecurity NONE = new BrokerSecurity(null, null, Map.of());

  /** The one mechanism a secured broker enables. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  private static final String LISTENER = "SASL_PLAINTEXT";

  public BrokerSecurity {
    users = Map.copyOf(new TreeMap<>(users));
    if (superUser != null && superPassword == null) {
      throw new IllegalArgumentException("the super user '" + superUser + "' needs a password");
    }
  }

  /** Whether clients must authenticate. */
  public boolean enabled() {
    return superUser != null;
  }

  /** Turns {@code p}, the plain broker's properties on {@code port}, into a secured broker's. */
  void apply(Properties p, String host, int port, int controllerPort) {
    if (!enabled()) {
      return;
    }
    p.put("listeners", LISTENER + "://" + host + ":" + port + ",CONTROLLER://" + host + ":"
        + controllerPort);
    p.put("advertised.listeners", LISTENER + "://" + host + ":" + port);
    p.put("inter.broker.listener.name", LISTENER);
    p.put("listener.security.protocol.map", LISTENER + ":" + LISTENER + ",CONTROLLER:PLAINTEXT");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("listener.name." + LISTENER.toLowerCase() + "." + MECHANISM.toLowerCase()
        + ".sasl.jaas.config", jaas(superUser, superPassword));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("allow.everyone.if.no.acl.found", "false");
    // ANONYMOUS is the PLAINTEXT controller listener on loopback: the broker's own requests
    p.put("super.users", "User:" + superUser + ";User:ANONYMOUS");
  }

  /** The {@code --add-scram} arguments of the storage format: one per user. */
  List<String> formatArgs() {
    List<String> args = new ArrayList<>();
    if (!enabled()) {
      return args;
    }
    Map<String, String> all = new TreeMap<>(users);
    all.put(superUser, superPassword);
    all.forEach((name, password) -> {
      args.add("--add-scram");
      args.add(MECHANISM + "=[name=" + name + ",password=" + password + "]");
    });
    return args;
  }

  /** Client properties that log in as {@code user} with {@code password}. */
  public static Properties client(String user, String password) {
    Properties p = new Properties();
    p.put("security.protocol", LISTENER);
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", jaas(user, password));
    return p;
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user + "\" password=\"" + password + "\";";
  }
}

package dev.backstream.cli.broker;

import dev.backstream.cli.broker.RoleAcls.Role;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What a secured broker asks of its clients: SCRAM-SHA-512 over a SASL listener ({@code
 * SASL_SSL} when a keystore is given, else {@code SASL_PLAINTEXT}), KRaft's {@code
 * StandardAuthorizer} with nothing allowed where no ACL says so, and one super user (the broker
 * itself, and whoever creates the ACLs). {@link #NONE} is the plain, open broker.
 *
 * <p>The credentials are written into the storage at format time ({@code --add-scram}), so the
 * broker accepts them from its first request; the controller listener stays PLAINTEXT on
 * loopback, whose anonymous principal is the broker talking to its own controller.
 *
 * @param superUser the super user's name, or null for an open broker
 * @param superPassword its password
 * @param users every other user, with the role its ACLs grant
 * @param tls the broker's keystore for {@code SASL_SSL}, or null for {@code SASL_PLAINTEXT}
 */
public record BrokerSecurity(String superUser, String superPassword, List<User> users,
    BrokerTls tls) {

  /** No SASL, no authorizer: every client may do everything. */
  public static final BrokerSecurity NONE = new BrokerSecurity(null, null, List.of(), null);

  /** The one mechanism a secured broker enables. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The super user of {@link #generated()}. */
  public static final String GENERATED_ADMIN = "admin";

  /**
   * A SCRAM user and the role whose ACLs it gets, in every run the broker grants.
   *
   * @param role what the user does in a run
   * @param name its SCRAM name, the principal {@code User:<name>}
   * @param password its password
   */
  public record User(Role role, String name, String password) {
    @Override
    public String toString() {
      return role.name().toLowerCase() + " " + name; // never the password
    }
  }

  public BrokerSecurity {
    users = List.copyOf(users);
    if (superUser != null && superPassword == null) {
      throw new IllegalArgumentException("the super user '" + superUser + "' needs a password");
    }
    if (superUser == null && (!users.isEmpty() || tls != null)) {
      throw new IllegalArgumentException("users and a keystore need a super user");
    }
  }

  /**
   * A secured broker with fresh random passwords for the super user, one coordinator, one worker
   * and one reducer user: the one-command {@code train --secure}, whose clients all live in this
   * process.
   */
  public static BrokerSecurity generated() {
    return new BrokerSecurity(GENERATED_ADMIN, randomPassword(), List.of(
        new User(Role.COORDINATOR, "coordinator", randomPassword()),
        new User(Role.WORKER, "worker", randomPassword()),
        new User(Role.REDUCER, "reducer", randomPassword())), null);
  }

  /** Whether clients must authenticate. */
  public boolean enabled() {
    return superUser != null;
  }

  /** {@code SASL_SSL}, {@code SASL_PLAINTEXT}, or {@code PLAINTEXT} for an open broker. */
  public String protocol() {
    return !enabled() ? "PLAINTEXT" : tls != null ? "SASL_SSL" : "SASL_PLAINTEXT";
  }

  /** The first user with {@code role}. */
  public User user(Role role) {
    return users.stream().filter(u -> u.role() == role).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no user has the role " + role));
  }

  /** Turns {@code p}, the plain broker's properties on {@code port}, into a secured broker's. */
  void apply(Properties p, String host, int port, int controllerPort) {
    if (!enabled()) {
      return;
    }
    String listener = protocol();
    p.put("listeners", listener + "://" + host + ":" + port + ",CONTROLLER://" + host + ":"
        + controllerPort);
    p.put("advertised.listeners", listener + "://" + host + ":" + port);
    p.put("inter.broker.listener.name", listener);
    p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("listener.name." + listener.toLowerCase() + "." + MECHANISM.toLowerCase()
        + ".sasl.jaas.config", jaas(superUser, superPassword));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("allow.everyone.if.no.acl.found", "false");
    // ANONYMOUS is the PLAINTEXT controller listener on loopback: the broker's own requests
    p.put("super.users", "User:" + superUser + ";User:ANONYMOUS");
    if (tls != null) {
      tls.apply(p);
    }
  }

  /** The {@code --add-scram} arguments of the storage format: one per user. */
  List<String> formatArgs() {
    List<String> args = new ArrayList<>();
    if (!enabled()) {
      return args;
    }
    Map<String, String> all = new TreeMap<>();
    users.forEach(u -> all.put(u.name(), u.password()));
    all.put(superUser, superPassword);
    all.forEach((name, password) -> {
      args.add("--add-scram");
      args.add(MECHANISM + "=[name=" + name + ",password=" + password + "]");
    });
    return args;
  }

  /**
   * Creates the ACLs of every user's role in each of {@code runs}, as the super user; waits for
   * them. Does nothing for an open broker.
   */
  public void grant(String bootstrapServers, Collection<String> runs) throws InterruptedException {
    Properties admin = adminClient();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "backstream-broker-acls");
    grant(admin, runs);
  }

  /**
   * Like {@link #grant(String, Collection)}, through an admin client of {@code admin}: {@link
   * #adminClient()}'s login with the bootstrap servers and whatever else the Kafka asks of its
   * clients (TLS trust, timeouts).
   */
  public void grant(Properties admin, Collection<String> runs) throws InterruptedException {
    if (!enabled() || users.isEmpty()) {
      return;
    }
    try (Admin client = Admin.create(admin)) {
      for (String run : runs) {
        for (User user : users) {
          RoleAcls.create(client, RoleAcls.of(user.role(), user.name(), run));
        }
      }
    }
  }

  /**
   * Client properties that log in as the super user: SCRAM-SHA-512 over {@code SASL_PLAINTEXT},
   * or over {@code SASL_SSL} trusting this broker's certificate when it has a keystore.
   */
  public Properties adminClient() {
    return clientOf(superUser, superPassword);
  }

  /** Client properties that log in as {@code user}, trusting this broker's certificate. */
  public Properties clientOf(User user) {
    return clientOf(user.name(), user.password());
  }

  private Properties clientOf(String name, String password) {
    Properties p = client(name, password);
    if (tls != null) {
      p.put("security.protocol", "SASL_SSL");
      p.putAll(tls.trustProperties());
    }
    return p;
  }

  /** Client properties that log in as {@code user} with {@code password} over SASL_PLAINTEXT. */
  public static Properties client(String user, String password) {
    Properties p = new Properties();
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", jaas(user, password));
    return p;
  }

  @Override
  public String toString() {
    return enabled() ? "BrokerSecurity[" + protocol() + ", super user " + superUser + ", "
        + users + "]" : "BrokerSecurity[open]";
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user + "\" password=\"" + password + "\";";
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

package dev.backstream.common.kafka;

import java.util.Locale;
import org.apache.kafka.common.acl.AclOperation;

/**
 * The broker's ACLs do not let this client's user do what its role needs on a run's topic.
 * Fatal for the command: the message is the one line a user needs, naming the user, the
 * operation and the topic, as {@link #line} words it for every refusal.
 */
public final class AccessRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param user the SCRAM/PLAIN user name the client logged in as, or null if it did not log in
   * @param operation what was refused
   * @param topic on which topic
   * @param role the role that needs it, e.g. {@code coordinator}
   */
  public AccessRefusedException(String user, AclOperation operation, String topic, String role) {
    super(line(user, operation, topic) + " (ACLs: a " + role + " needs that): log in as a user "
        + "of the " + role + " role in --kafka-config (see 'backstream broker --help', --users)");
  }

  /**
   * "user 'worker' may not WRITE to topic 'backstream.r.steps'": the start of every line about a
   * refused topic operation.
   *
   * @param user the user name, or null for a client without a login
   * @param operation what was refused, or null if not known
   */
  public static String line(String user, AclOperation operation, String topic) {
    String verb = operation == null ? "use"
        : operation.name().toUpperCase(Locale.ROOT) + switch (operation) {
          case WRITE -> " to";
          case READ -> " from";
          default -> "";
        };
    return who(user) + " may not " + verb + " topic '" + topic + "'";
  }

  /** "user 'worker'", or "this unauthenticated client" for null. */
  public static String who(String user) {
    return user == null ? "this unauthenticated client" : "user '" + user + "'";
  }
}

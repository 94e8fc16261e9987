package dev.backstream.cli.broker;

import dev.backstream.cli.broker.RoleAcls.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code backstream broker --users FILE}: one user a line, {@code ROLE NAME PASSWORD}, where ROLE
 * is {@code admin} (exactly one: the super user, which the broker itself logs in as), {@code
 * coordinator}, {@code worker} or {@code viewer}. Blank lines and lines starting with {@code #}
 * are skipped. A name may appear on several lines (several roles) with one password.
 *
 * <pre>
 * admin       admin   s3cret-admin
 * coordinator coord   s3cret-coord
 * worker      worker  s3cret-worker
 * viewer      viewer  s3cret-viewer
 * </pre>
 */
final class UsersFile {
  /** Names and passwords go into JAAS lines and the format tool's [name=..,password=..]. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9._~!@#$%^&*+:;?/|{}()<>-]{8,128}");

  private UsersFile() {}

  /**
   * Reads the users of a secured broker from {@code file}.
   *
   * @param tls the keystore for SASL_SSL, or null
   * @throws IllegalArgumentException naming the file, the line and what would be right
   */
  static BrokerSecurity load(Path file, BrokerTls tls) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + " (" + e + ")", e);
    }
    String admin = null;
    String adminPassword = null;
    List<BrokerSecurity.User> users = new ArrayList<>();
    Map<String, String> passwords = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1) + ": ";
      String[] words = line.split("\\s+");
      if (words.length != 3) {
        throw new IllegalArgumentException(where + "expected ROLE NAME PASSWORD, found "
            + words.length + " word(s)");
      }
      String role = words[0].toLowerCase(Locale.ROOT);
      String name = words[1];
      String password = words[2];
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(where + "invalid name '" + name
            + "': use 1 to 64 of A-Z a-z 0-9 . _ -");
      }
      if (!PASSWORD.matcher(password).matches()) {
        throw new IllegalArgumentException(where + "the password of '" + name + "' must be 8 to "
            + "128 characters without spaces, quotes, backslashes, commas, '=' or brackets []");
      }
      String known = passwords.putIfAbsent(name, password);
      if (known != null && !known.equals(password)) {
        throw new IllegalArgumentException(where + "'" + name + "' has another password on an "
            + "earlier line: a user has one password");
      }
      if (role.equals("admin")) {
        if (admin != null) {
          throw new IllegalArgumentException(where + "a second admin ('" + name + "' after '"
              + admin + "'): there is one super user");
        }
        admin = name;
        adminPassword = password;
      } else {
        users.add(new BrokerSecurity.User(role(role, where), name, password));
      }
    }
    if (admin == null) {
      throw new IllegalArgumentException(file + " names no admin: add a line 'admin NAME "
          + "PASSWORD' (the super user the broker itself logs in as)");
    }
    return new BrokerSecurity(admin, adminPassword, users, tls);
  }

  private static Role role(String word, String where) {
    for (Role role : Role.values()) {
      if (role.name().toLowerCase(Locale.ROOT).equals(word)) {
        return role;
      }
    }
    throw new IllegalArgumentException(where + "unknown role '" + word
        + "': must be admin, coordinator, worker, reducer or viewer");
  }
}

package dev.backstream.cli.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker's TLS identity made with the JDK's keytool, as a user would make it: a PKCS12
 * keystore holding one EC key whose self-signed certificate names {@code IP:127.0.0.1} (the
 * address the clients of a test dial), and that certificate as PEM, for clients' trust stores.
 *
 * @param keystore the PKCS12 keystore, for {@code broker --keystore}
 * @param password its password, also the key's
 * @param certificate the certificate, PEM-encoded, for {@code ssl.truststore.location}
 */
public record BrokerKeystore(Path keystore, String password, Path certificate) {

  /**
   * Makes {@code NAME.p12} and {@code NAME.pem} in {@code dir}; each call a new key pair, so two
   * keystores never trust each other.
   */
  public static BrokerKeystore create(Path dir, String name, String password)
      throws IOException, InterruptedException {
    Path keystore = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password);
    Path certificate = dir.resolve(name + ".pem");
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(),
        "-storepass", password, "-file", certificate.toString());
    return new BrokerKeystore(keystore, password, certificate);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool did not finish within 60 s: " + command);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed (exit " + p.exitValue() + "): " + output);
    }
  }
}

package dev.backstream.cli.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.Properties;

/**
 * The broker's TLS identity for {@code SASL_SSL}: a PKCS12 (or JKS) keystore holding one private
 * key and its certificate, as {@code keytool -genkeypair} makes it.
 *
 * <p>The broker also talks to itself over its listener (transaction markers): it trusts its own
 * certificate, given to it as PEM, and skips host name checks on that loopback connection only.
 * Clients keep Kafka's default checks, so the certificate must name the address they dial
 * (for the embedded broker, {@code IP:127.0.0.1}).
 *
 * @param keystore the keystore file
 * @param password its password, also the key's
 * @param certificatePem the key's certificate, PEM-encoded, for trust stores
 */
public record BrokerTls(Path keystore, String password, String certificatePem) {

  /**
   * Opens {@code keystore} and takes the certificate of its one private key.
   *
   * @throws IllegalArgumentException if the file cannot be read with {@code password} or holds no
   *     private key, naming the file and the cause
   */
  public static BrokerTls load(Path keystore, String password) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the keystore " + keystore + " needs its password");
    }
    KeyStore store;
    try (InputStream in = Files.newInputStream(keystore)) {
      // Java 17 loads JKS files through the PKCS12 type too (keystore.type.compat)
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          return new BrokerTls(keystore.toAbsolutePath(), password, pem(store.getCertificate(alias)));
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalArgumentException("cannot open the keystore " + keystore + " (" + cause
          + "): is it a PKCS12 or JKS file, and is the password right?", e);
    }
    throw new IllegalArgumentException("the keystore " + keystore + " holds no private key: make "
        + "one with keytool -genkeypair");
  }

  /** The broker's SSL properties. */
  void apply(Properties p) {
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", password);
    p.put("ssl.key.password", password);
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.certificates", certificatePem);
    // the broker's own client (to itself, on loopback): no host name in its certificate needed
    p.put("ssl.endpoint.identification.algorithm", "");
  }

  /** What a client needs to trust this broker: its certificate as a PEM trust store. */
  public Properties trustProperties() {
    Properties p = new Properties();
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.certificates", certificatePem);
    return p;
  }

  @Override
  public String toString() {
    return "BrokerTls[" + keystore + "]"; // never the password
  }

  private static String pem(Certificate certificate) throws GeneralSecurityException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(certificate.getEncoded());
    return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----";
  }
}

package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The TLS probe behind "its port speaks TLS": a port that is not TLS must never pass it, or a
 * user whose broker simply is slow would be told to switch protocols. (A port that speaks TLS
 * passes it in {@code AclsCommandTest}, against a SASL_SSL broker.)
 */
class SecurityRefusalsTest {

  @Test
  void aPlainListenerThatClosesOnGarbageDoesNotSpeakTls() throws Exception {
    // as a SASL_PLAINTEXT listener does with a ClientHello: reads a bit, then hangs up
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread listener = new Thread(() -> {
        try (Socket client = plain.accept(); InputStream in = client.getInputStream()) {
          in.read(new byte[16]);
        } catch (Exception closed) {
          // the probe's side is what is tested
        }
      }, "plain-listener");
      listener.start();

      assertThat(SecurityRefusals.speaksTls("127.0.0.1:" + plain.getLocalPort())).isFalse();
      listener.join(5000);
    }
  }

  @Test
  void nothingListeningOrNoServersDoNotSpeakTls() throws Exception {
    int free;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = socket.getLocalPort();
    }
    assertThat(SecurityRefusals.speaksTls("127.0.0.1:" + free)).isFalse();
    assertThat(SecurityRefusals.speaksTls(null)).isFalse();
    assertThat(SecurityRefusals.speaksTls("not-host-port")).isFalse();
  }
}

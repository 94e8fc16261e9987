package dev.backstream.common.data.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A web server on the loopback that serves folders of gzip files, as a mirror does. */
final class FakeMirror implements AutoCloseable {
  private final HttpServer server;

  /** Paths requested, in order. */
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  FakeMirror() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
  }

  /** Serves {@code files} (name to bytes) under {@code /folder/}; other names get 404. */
  String serve(String folder, Map<String, byte[]> files) {
    server.createContext(
        "/" + folder + "/",
        exchange -> {
          requests.add(exchange.getRequestURI().getPath());
          String name = exchange.getRequestURI().getPath().substring(folder.length() + 2);
          respond(exchange, files.get(name));
        });
    return url(folder);
  }

  /** The base URL of {@code /folder/}. */
  String url(String folder) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + folder + "/";
  }

  private static void respond(HttpExchange exchange, byte[] body) throws IOException {
    try (exchange) {
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

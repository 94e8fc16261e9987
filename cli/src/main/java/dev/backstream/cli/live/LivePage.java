package dev.backstream.cli.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backstream.coordinator.training.TrainingListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live page's HTTP server: {@code /} the page, {@code /api/state} the run as JSON (what the
 * page polls) and {@code /metrics} in Prometheus' text format, on one port of every interface.
 * It serves until closed; requests are answered on the server's one dispatcher thread, which is
 * plenty for a page polled every second and a scrape every few seconds.
 */
public final class LivePage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LivePage.class);
  private static final String PAGE_RESOURCE = "index.html";

  private final HttpServer server;
  private final LiveState state;
  private final LiveMetrics metrics;
  private final byte[] page;
  private final ObjectMapper json = new ObjectMapper();

  private LivePage(HttpServer server, LiveState state, LiveMetrics metrics, byte[] page) {
    this.server = server;
    this.state = state;
    this.metrics = metrics;
    this.page = page;
  }

  /**
   * Starts serving the run {@code run} on {@code port}.
   *
   * @param port 0 to 65535; 0 picks a free port
   * @throws IOException if the port cannot be bound (in use, or privileged)
   */
  public static LivePage start(int port, String run) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    LivePage live = new LivePage(
        server, new LiveState(run, System::nanoTime), new LiveMetrics(run), pageBytes());
    server.createContext("/", exchange -> live.answer(exchange, live::servePage));
    server.createContext("/api/state", exchange -> live.answer(exchange, live::serveState));
    server.createContext("/metrics", exchange -> live.answer(exchange, live::serveMetrics));
    server.start();
    log.debug("live page serving on port {}", live.port());
    return live;
  }

  private static byte[] pageBytes() {
    try (InputStream in = LivePage.class.getResourceAsStream(PAGE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the live page " + PAGE_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port served on (the one picked, for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The page's address on this machine, {@code http://localhost:PORT/}. */
  public URI url() {
    return URI.create("http://localhost:" + port() + "/");
  }

  /** {@code first} followed by this page's listeners: what to give the trainer. */
  public TrainingListener with(TrainingListener first) {
    return CompositeListener.of(first, state, metrics);
  }

  /** Stops serving at once; open requests are cut off. */
  @Override
  public void close() {
    server.stop(0);
  }

  private interface Body {
    /** Writes the response body; returns its content type, or null for a 404. */
    String write(String path, OutputStream body) throws IOException;
  }

  private void answer(HttpExchange exchange, Body body) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      String type = body.write(exchange.getRequestURI().getPath(), bytes);
      if (type == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      // The figures change every step: a cached copy is a wrong copy.
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : bytes.size());
      if (!head) {
        bytes.writeTo(exchange.getResponseBody());
      }
    } catch (IOException | RuntimeException e) {
      log.debug("live page: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      throw e;
    }
  }

  private String servePage(String path, OutputStream body) throws IOException {
    if (!path.equals("/") && !path.equals("/index.html")) {
      return null;
    }
    body.write(page);
    return "text/html; charset=utf-8";
  }

  private String serveState(String path, OutputStream body) throws IOException {
    if (!path.equals("/api/state")) {
      return null;
    }
    json.writeValue(body, state.snapshot());
    return "application/json";
  }

  private String serveMetrics(String path, OutputStream body) throws IOException {
    if (!path.equals("/metrics")) {
      return null;
    }
    metrics.write(body);
    return LiveMetrics.CONTENT_TYPE;
  }
}

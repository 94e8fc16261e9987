package dev.backstream.cli.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import kafka.server.KafkaConfig$;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, on
 * loopback: the one-command default and the integration tests' broker.
 *
 * <p>Start takes about 5 s (formatting the storage, then the server). {@link #close()} stops it
 * and, for a temporary data directory, deletes it; a JVM shutdown hook does the same on Ctrl-C.
 * Thread-safe.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  /** The broker listens on IPv4 loopback only: it has no authentication. */
  static final String HOST = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /**
   * How to start the broker.
   *
   * @param port the client port, or 0 for a free one
   * @param controllerPort the KRaft controller port, or 0 for a free one
   * @param dataDirectory where the broker keeps its logs, kept at close; or null for a temporary
   *     directory deleted at close
   */
  public record Options(int port, int controllerPort, Path dataDirectory) {

    /**
     * Validates the ports.
     *
     * @throws IllegalArgumentException if a port is outside [0, 65535] or both are equal and fixed
     */
    public Options {
      checkPort("port", port);
      checkPort("controllerPort", controllerPort);
      if (port != 0 && port == controllerPort) {
        throw new IllegalArgumentException("Invalid value " + port + " for controllerPort: must "
            + "differ from port " + port);
      }
    }

    /** Returns free ports and a temporary data directory. */
    public static Options defaults() {
      return new Options(0, 0, null);
    }

    /** Returns these options with another client port (0 for a free one). */
    public Options withPort(int newPort) {
      return new Options(newPort, controllerPort, dataDirectory);
    }

    /** Returns these options with a kept data directory, reused as it is if already formatted. */
    public Options withDataDirectory(Path directory) {
      return new Options(port, controllerPort, directory);
    }

    private static void checkPort(String name, int value) {
      if (value < 0 || value > 65_535) {
        throw new IllegalArgumentException("Invalid value " + value + " for " + name
            + ": must be in [0, 65535] (0 picks a free port)");
      }
    }
  }

  private final KafkaRaftServer server;
  private final DataDirectoryLock lock;
  private final int port;
  private final Path dataDirectory;
  private final boolean temporary;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafkaBroker(KafkaRaftServer server, DataDirectoryLock lock, int port,
      Path dataDirectory, boolean temporary) {
    this.server = server;
    this.lock = lock;
    this.port = port;
    this.dataDirectory = dataDirectory;
    this.temporary = temporary;
    this.shutdownHook = new Thread(this::close, "backstream-broker-shutdown");
  }

  /**
   * Formats the storage if needed and starts the broker; returns once it serves clients.
   *
   * @param options ports and data directory
   * @return the running broker; close it
   * @throws KafkaException if the broker cannot start (port taken, unusable directory); whatever
   *     was created is removed first
   */
  public static EmbeddedKafkaBroker start(Options options) {
    return start(options, BrokerSecurity.NONE);
  }

  /**
   * Like {@link #start(Options)}, with clients held to {@code security}.
   *
   * @param options ports and data directory
   * @param security SASL users and the authorizer, or {@link BrokerSecurity#NONE}
   * @return the running broker; close it
   */
  public static EmbeddedKafkaBroker start(Options options, BrokerSecurity security) {
    // quiet through the clean-up of a failed start too: we say what failed, in one line
    try (QuietStart quiet = QuietStart.begin()) {
      return startLoud(options, security);
    }
  }

  private static EmbeddedKafkaBroker startLoud(Options options, BrokerSecurity security) {
    long startNanos = System.nanoTime();
    boolean temporary = options.dataDirectory() == null;
    Path dir = null;
    DataDirectoryLock lock = null;
    KafkaRaftServer server = null;
    try {
      dir = temporary
          ? ScratchDirectory.create()
          : Files.createDirectories(options.dataDirectory());
      // before Kafka formats or opens anything there: a second broker must not touch the logs
      lock = DataDirectoryLock.acquire(dir);
      int port = options.port() != 0 ? options.port() : freePort();
      int controllerPort = options.controllerPort() != 0 ? options.controllerPort() : freePort();
      Path logDir = dir.resolve("logs");
      if (Files.exists(logDir) && !Files.isDirectory(logDir)) {
        throw new FileAlreadyExistsException(logDir.toString());
      }
      Properties props = BrokerProperties.of(port, controllerPort, logDir);
      security.apply(props, HOST, port, controllerPort);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(dir, props, security.formatArgs());
      }
      // Through the companion object: KafkaConfig's superclass lives in kafka-server, a runtime-only
      // dependency of kafka_2.13, which javac would need to resolve a static call on the class.
      server = new KafkaRaftServer(KafkaConfig$.MODULE$.fromProps(props, false), Time.SYSTEM);
      server.startup();
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, lock, port, dir, temporary);
      Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
      LOG.info("Kafka broker serving at {} after {} ms (data in {})", broker.bootstrapServers(),
          (System.nanoTime() - startNanos) / 1_000_000, dir);
      return broker;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        stopQuietly(server);
      }
      releaseQuietly(lock);
      if (temporary && dir != null) {
        deleteRecursively(dir);
      }
      throw new KafkaException("Failed to start the embedded Kafka broker: " + reason(e), e);
    }
  }

  /** Returns {@code 127.0.0.1:<port>} for the clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** Returns the client port. */
  public int port() {
    return port;
  }

  /** Returns the data directory (deleted at close if temporary). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Stops the broker and deletes a temporary data directory; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: our hook may run too, and will find us closed.
      }
    }
    stopQuietly(server);
    releaseQuietly(lock);
    if (temporary) {
      deleteRecursively(dataDirectory);
    }
  }

  /**
   * Whether {@code e}, thrown by {@link #start}, says that another broker holds the data
   * directory; its message then is "DIR is in use by a broker, pid N".
   */
  static boolean inUse(KafkaException e) {
    return e.getCause() instanceof DataDirectoryLock.InUseException;
  }

  /** One line saying why the start failed: file exceptions carry only a path as message. */
  private static String reason(Exception e) {
    String message;
    if (e instanceof DataDirectoryLock.InUseException) {
      message = e.getMessage();
    } else if (e instanceof FileAlreadyExistsException f) {
      message = f.getFile() + " exists and is not a directory";
    } else if (e instanceof AccessDeniedException a) {
      message = a.getFile() + ": permission denied";
    } else if (e instanceof NoSuchFileException n) {
      message = n.getFile() + ": no such file or directory";
    } else if (e instanceof FileSystemException f) {
      message = f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
    } else {
      message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  private static void releaseQuietly(DataDirectoryLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      LOG.warn("Could not release the broker's data directory lock: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDirectory + "]";
  }

  private static void format(Path dir, Properties props, List<String> extra) throws IOException {
    Path config = dir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "backstream embedded broker");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      // execute, not main: main calls System.exit. A formatted directory is not formatted again
      // (its cluster id would not match a new one), so this runs on a fresh directory only.
      List<String> args = new ArrayList<>(List.of(
          "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
      args.addAll(extra);
      status = StorageTool.execute(args.toArray(new String[0]), print);
    }
    if (status != 0) {
      throw new KafkaException("Formatting " + dir + " failed (status " + status + "): "
          + output.toString(StandardCharsets.UTF_8).trim());
    }
  }

  /** A port of {@link #HOST} that is free now: for a broker, or a test that needs a closed one. */
  public static int freePort() throws IOException {
    // Bound then released: another process could take it before the broker does, rarely.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker did not shut down cleanly", e);
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete the broker's temporary directory {}: {}", dir, e.toString());
    }
  }
}

package dev.backstream.common.kafka;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client properties for backstream: defaults tuned for one ~320 KB record per hop on a
 * low-latency network, merged with the user's {@code --kafka-config} file.
 *
 * <p>Precedence, lowest first: our defaults, then the user's file (standard Kafka client
 * properties such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*}; it may override any
 * default), then an explicit bootstrap-servers argument. Serializers and deserializers are always
 * byte arrays, because the protocol encodes its own frames; the file's are ignored with a warning.
 *
 * <p>Immutable; every accessor returns a new {@link Properties} the caller may change.
 */
public final class KafkaSettings {

  /**
   * The message size our clients and topics allow, in bytes (8 MiB): above the largest frame
   * ({@link dev.backstream.common.protocol.FrameCodec#MAX_FRAME_BYTES}) plus Kafka's overhead.
   */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /**
   * The socket buffer size that leaves the socket to the operating system (Kafka's -1). Kafka's
   * defaults (128 KiB to send, 64 KiB to receive) set SO_SNDBUF/SO_RCVBUF explicitly, which on
   * Linux turns TCP's window autotuning off: a 318 KB frame then crosses in several windows, each
   * a wake-up of the reading thread, and on a busy 2-core machine a wake-up waits for a core.
   */
  static final int OS_SOCKET_BUFFER = -1;

  /** What a consumer without a committed offset starts from. */
  public enum OffsetReset {
    /** The oldest retained record: replay, e.g. metrics from the run's start. */
    EARLIEST,
    /** Only records produced after the consumer starts. */
    LATEST;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);

  private static final Pattern JAAS_USER =
      Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private static final List<String> BYTE_CODECS = List.of(
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  /** How {@link ConfigException} renders a bad value: "Invalid value V for configuration K: why". */
  private static final Pattern CONFIG_MESSAGE =
      Pattern.compile("Invalid value (.*) for configuration ([^:\\s]+)(?:: (.*))?", Pattern.DOTALL);

  /** Kafka's refusal of a key or trust store file it could not open: its path and type. */
  private static final Pattern STORE_NOT_LOADED =
      Pattern.compile("Failed to load SSL keystore (.+) of type (\\S+)");

  /** The JVM-wide JAAS file that may stand in for {@code sasl.jaas.config}. */
  private static final String JAAS_FILE_PROPERTY = "java.security.auth.login.config";

  private final String bootstrapServers;
  private final Map<String, String> overrides;

  private KafkaSettings(String bootstrapServers, Map<String, String> overrides) {
    this.bootstrapServers = bootstrapServers;
    this.overrides = overrides;
  }

  /**
   * Creates settings from the user's properties.
   *
   * @param bootstrapServers {@code host:port[,host:port]}, or null to take
   *     {@code bootstrap.servers} from {@code user}
   * @param user the user's client properties; not modified
   * @return the settings
   * @throws IllegalArgumentException if no bootstrap servers are given either way
   */
  public static KafkaSettings of(String bootstrapServers, Properties user) {
    Map<String, String> overrides = new TreeMap<>();
    for (String key : user.stringPropertyNames()) {
      if (BYTE_CODECS.contains(key)) {
        LOG.warn("Ignoring {} from the Kafka client config: backstream sends its own binary frames",
            key);
      } else {
        overrides.put(key, user.getProperty(key));
      }
    }
    String bootstrap = bootstrapServers != null
        ? bootstrapServers
        : overrides.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("No Kafka bootstrap servers: pass --bootstrap or set "
          + "bootstrap.servers in the --kafka-config file");
    }
    overrides.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    return new KafkaSettings(bootstrap, Collections.unmodifiableMap(overrides));
  }

  /**
   * Creates settings with our defaults only.
   *
   * @param bootstrapServers {@code host:port[,host:port]}
   * @return the settings
   */
  public static KafkaSettings of(String bootstrapServers) {
    return of(bootstrapServers, new Properties());
  }

  /**
   * Creates settings from a standard Kafka client properties file ({@code --kafka-config}).
   *
   * @param bootstrapServers {@code host:port[,host:port]}, or null to take them from the file
   * @param kafkaConfig the properties file, read as UTF-8
   * @return the settings
   * @throws IllegalArgumentException if the file cannot be read or parsed, naming the file
   */
  public static KafkaSettings load(String bootstrapServers, Path kafkaConfig) {
    Properties user = new Properties();
    if (Files.isDirectory(kafkaConfig)) {
      throw new IllegalArgumentException("it is a directory, not a properties file");
    }
    try (Reader in = Files.newBufferedReader(kafkaConfig)) {
      user.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("permission denied", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read it as a properties file: " + e.getMessage(), e);
    }
    return of(bootstrapServers, user);
  }

  /**
   * Checks, without connecting, what Kafka's clients would refuse only once they start: the
   * bootstrap servers' syntax and names, every client property's type and value, and the security
   * settings (a SASL mechanism without a JAAS entry, a key or trust store that is not there or
   * cannot be opened).
   *
   * @throws InvalidBootstrapException if the bootstrap servers cannot be used
   * @throws InvalidClientSettingException naming the property, its value and what is right
   * @throws IllegalArgumentException with the causes' messages, for any other refusal
   */
  public void validate() {
    checkBootstrap(bootstrapServers);
    checkJaas();
    checkStoreFiles();
    try {
      new ProducerConfig(producer("validate"));
      new ConsumerConfig(consumer("validate", OffsetReset.LATEST));
      AdminClientConfig admin = new AdminClientConfig(admin("validate"));
      // The channel builder is what reads the JAAS entry and opens the keystores.
      ClientUtils.createChannelBuilder(admin, Time.SYSTEM, new LogContext()).close();
    } catch (ConfigException e) {
      throw reworded(e);
    } catch (KafkaException | IllegalArgumentException e) {
      Optional<InvalidClientSettingException> store = unopenedStore(e);
      if (store.isPresent()) {
        throw store.get();
      }
      throw new IllegalArgumentException(rootMessage(e), e);
    }
  }

  /**
   * Kafka's "Failed to load SSL keystore F of type T" (said of a trust store too) as the key that
   * names F, the store's type and the cause's first line, e.g. a certificate file read as JKS, or
   * a wrong password; empty when no store failed to load.
   */
  private Optional<InvalidClientSettingException> unopenedStore(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Matcher m = STORE_NOT_LOADED.matcher(String.valueOf(t.getMessage()));
      if (!m.lookingAt()) {
        continue;
      }
      String cause = t.getCause() == null || t.getCause().getMessage() == null
          ? "" : " (" + t.getCause().getMessage().strip().split("\\R", 2)[0] + ")";
      for (String store : List.of("truststore", "keystore")) {
        String key = "ssl." + store + ".location";
        if (m.group(1).equals(overrides.get(key))) {
          InvalidClientSettingException named = new InvalidClientSettingException(key,
              m.group(1), "cannot open it as a " + m.group(2) + " " + store.replace("store", "")
              + " store" + cause + ": check ssl." + store + ".type" + (store.equals("truststore")
              ? " (PEM for a certificate file)" : "") + " and ssl." + store + ".password");
          named.initCause(e);
          return Optional.of(named);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A SASL protocol needs a login: Kafka's own refusal names a JAAS system property, not the
   * {@code sasl.jaas.config} line a client file would add.
   */
  private void checkJaas() {
    String protocol = overrides.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "");
    if (protocol.trim().toUpperCase(Locale.ROOT).startsWith("SASL_")
        && !overrides.containsKey(SaslConfigs.SASL_JAAS_CONFIG)
        && System.getProperty(JAAS_FILE_PROPERTY) == null) {
      throw new InvalidClientSettingException(SaslConfigs.SASL_JAAS_CONFIG, null,
          "security.protocol " + protocol.trim() + " needs it (the login module, username and "
              + "password for sasl.mechanism)");
    }
  }

  /**
   * A key or trust store file that is not there, named by its key: Kafka's own refusal says
   * "keystore" of a trust store too, and comes only from a protocol that loads the stores.
   */
  private void checkStoreFiles() {
    String protocol = overrides.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "");
    if (!protocol.trim().toUpperCase(Locale.ROOT).endsWith("SSL")) {
      return;
    }
    for (String key : List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
        SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)) {
      String location = overrides.get(key);
      if (location == null || location.isEmpty()) {
        continue;
      }
      Path file = Path.of(location);
      if (!Files.exists(file)) {
        throw new InvalidClientSettingException(key, location, "no such file");
      }
      if (Files.isDirectory(file)) {
        throw new InvalidClientSettingException(key, location, "it is a directory, not a "
            + (key.equals(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG) ? "trust" : "key")
            + " store file");
      }
    }
  }

  /**
   * Kafka's "Invalid value V for configuration K: String must be one of: ..." as key, value and
   * reason, so that the caller's "Invalid value" line is the only one and no type name shows.
   */
  private static IllegalArgumentException reworded(ConfigException e) {
    Matcher m = CONFIG_MESSAGE.matcher(e.getMessage() == null ? "" : e.getMessage());
    if (!m.matches()) {
      return new IllegalArgumentException(rootMessage(e), e);
    }
    String reason = m.group(3) == null ? "refused by Kafka's client" : m.group(3).trim();
    reason = reason
        .replaceFirst("^String must be one of \\(case insensitive\\): (.*)$",
            "must be one of $1 (any case)")
        .replaceFirst("^String must be one of: ", "must be one of ")
        .replaceFirst("^Value must be no more than ", "must be at most ")
        .replaceFirst("^(String|Value) must ", "must ")
        .replaceFirst("^Not a number of type (LONG|INT|SHORT)$", "must be a whole number")
        .replaceFirst("^Not a number of type DOUBLE$", "must be a number")
        .replaceFirst("^Expected value to be either true or false$", "must be true or false");
    InvalidClientSettingException reworded =
        new InvalidClientSettingException(m.group(2), m.group(1), reason);
    reworded.initCause(e);
    return reworded;
  }

  /**
   * The causes' messages, outermost first, without repeats and without class names: Kafka wraps
   * "no such file" in "Failed to load SSL keystore ...", and both halves matter to a user.
   */
  private static String rootMessage(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t instanceof NoSuchFileException ? "no such file " + t.getMessage()
          : t instanceof AccessDeniedException ? "permission denied on " + t.getMessage()
          : t.getMessage();
      if (message == null || message.isBlank()) {
        continue;
      }
      if (!parts.isEmpty() && parts.get(parts.size() - 1).contains(message)) {
        continue;
      }
      parts.add(message);
    }
    return parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
  }

  /**
   * Each {@code host:port} parsed and at least one host resolved, as Kafka's clients require,
   * but with our message instead of their warning per unresolvable host.
   */
  private static void checkBootstrap(String servers) {
    boolean resolved = false;
    List<String> unresolved = new ArrayList<>();
    for (String entry : servers.split(",", -1)) {
      String address = entry.trim();
      String host = Utils.getHost(address);
      Integer port = Utils.getPort(address);
      if (host == null || port == null) {
        throw new InvalidBootstrapException(servers, "'" + address
            + "' is not HOST:PORT (expected HOST:PORT[,HOST:PORT...])");
      }
      if (port < 1 || port > 65535) {
        throw new InvalidBootstrapException(servers, "port " + port + " is not in 1 to 65535");
      }
      try {
        InetAddress.getAllByName(host);
        resolved = true;
      } catch (UnknownHostException e) {
        unresolved.add(host);
      }
    }
    if (!resolved) {
      throw new InvalidBootstrapException(servers, "cannot resolve "
          + String.join(", ", unresolved) + " (no such host)");
    }
  }

  /** Returns the bootstrap servers every client connects to. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The user this client logs in as: the {@code username} of {@code sasl.jaas.config}, or empty
   * if it logs in as no one.
   */
  public Optional<String> user() {
    return jaasUser(overrides.getOrDefault("sasl.jaas.config", ""));
  }

  /** The {@code username="..."} of a JAAS line, or empty. */
  public static Optional<String> jaasUser(String jaas) {
    Matcher m = JAAS_USER.matcher(jaas);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Returns the user's overrides, bootstrap servers and serializers excluded; unmodifiable. */
  public Map<String, String> overrides() {
    return overrides;
  }

  /**
   * Returns producer properties: {@code acks=all}, {@code linger.ms=0}, no compression, 8 MiB
   * requests, the operating system's socket buffers, metadata at most 10 s old, byte-array
   * serializers.
   *
   * @param clientId the client id, for the broker's logs and quotas
   * @return a new, mutable property set
   */
  public Properties producer(String clientId) {
    Properties p = base(clientId);
    // One record per hop and a waiting peer: sending at once beats batching.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // On one node acks=all costs nothing measurable, and it keeps a step across a broker failover.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Doubles of trained weights hardly compress; compression would only add latency.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(4 * MAX_MESSAGE_BYTES));
    p.put(ProducerConfig.SEND_BUFFER_CONFIG, Integer.toString(OS_SOCKET_BUFFER));
    // A worker routes gradients by the partitions of the gradients topic, which a coordinator
    // started after it may grow (reducer subtrees): seen within 10 s rather than Kafka's 5 min.
    p.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, "10000");
    return finish(p, Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
  }

  /**
   * Returns consumer properties for {@code assign()} or a group: a 5 ms fetch wait, fetch sizes
   * above the largest frame, no auto-commit (offsets are ours to commit), the operating system's
   * socket buffers, byte-array deserializers. No {@code group.id} is set.
   *
   * @param clientId the client id
   * @param reset where to start without a committed offset
   * @return a new, mutable property set
   */
  public Properties consumer(String clientId, OffsetReset reset) {
    Properties p = base(clientId);
    // The broker answers a fetch at once when data is there; the wait only bounds an idle poll.
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(4 * MAX_MESSAGE_BYTES));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(OS_SOCKET_BUFFER));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset.value());
    return finish(p, Map.of(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
  }

  /**
   * Returns admin client properties: our bootstrap servers and the user's overrides.
   *
   * @param clientId the client id
   * @return a new, mutable property set
   */
  public Properties admin(String clientId) {
    return finish(base(clientId), Map.of());
  }

  @Override
  public String toString() {
    // Keys only: the file may hold passwords (sasl.jaas.config, ssl.*.password).
    return "KafkaSettings[bootstrap=" + bootstrapServers + ", overrides=" + overrides.keySet() + "]";
  }

  private Properties base(String clientId) {
    Properties p = new Properties();
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  private Properties finish(Properties p, Map<String, String> forced) {
    p.putAll(overrides);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.putAll(forced);
    return p;
  }
}

package dev.backstream.common.kafka;

/** Bootstrap servers that no Kafka client could use: bad syntax, a bad port, no resolvable host. */
public final class InvalidBootstrapException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;

  InvalidBootstrapException(String bootstrapServers, String reason) {
    super(reason);
    this.bootstrapServers = bootstrapServers;
  }

  /** The servers as given. */
  public String bootstrapServers() {
    return bootstrapServers;
  }
}

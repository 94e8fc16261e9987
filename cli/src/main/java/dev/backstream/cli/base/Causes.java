package dev.backstream.cli.base;

/** An exception's chain of causes, as the clients wrap them: Kafka's, TLS's, the JDK's. */
public final class Causes {
  private Causes() {}

  /** Whether {@code e} or one of its causes is an instance of one of {@code types}. */
  @SafeVarargs
  public static boolean any(Throwable e, Class<? extends Throwable>... types) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }
}

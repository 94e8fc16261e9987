package dev.backstream.common.data.fetch;

import java.util.List;

/**
 * No source could supply a dataset's files. The message lists each source with its one-line failure
 * and says how to place the files by hand; it spans several lines, one per source.
 *
 * <p>Possibly transient (a mirror may be down), so a caller may offer to retry.
 */
public final class DataFetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> failures;

  /** {@code failures} holds one line per source tried, "source: what went wrong". */
  public DataFetchException(String message, List<String> failures) {
    super(message);
    this.failures = List.copyOf(failures);
  }

  /** One line per source tried, in the order tried: "source: what went wrong". */
  public List<String> failures() {
    return failures;
  }
}

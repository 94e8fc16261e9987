package dev.backstream.common.data;

/**
 * A data file is missing, unreadable or not what it must be. The fix is to replace the file,
 * usually with {@code backstream data fetch}.
 */
public final class DataFileException extends BadFileException {
  private static final long serialVersionUID = 1L;

  /** {@code file} is a path or a resource name; {@code problem} says what is wrong with it. */
  public DataFileException(String file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #DataFileException(String, String)}, keeping the I/O failure that caused it. */
  public DataFileException(String file, String problem, Throwable cause) {
    super(file, problem, cause);
  }
}

package dev.backstream.common.data;

/**
 * A data file is missing, unreadable or not what it must be; the message is one line that starts
 * with the file and says what is wrong.
 *
 * <p>Fatal for the run that needs the file: retrying reads the same bytes. The fix is to replace
 * the file, usually with {@code backstream data fetch}.
 */
public final class DataFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String problem;

  /** {@code file} is a path or a resource name; {@code problem} says what is wrong with it. */
  public DataFileException(String file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #DataFileException(String, String)}, keeping the I/O failure that caused it. */
  public DataFileException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The path or resource name of the file at fault. */
  public String file() {
    return file;
  }

  /** What is wrong with the file: the message without the file name. */
  public String problem() {
    return problem;
  }
}

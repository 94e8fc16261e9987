package dev.backstream.common.model;

/**
 * A model file is missing, unreadable or not what it must be, or cannot be written; the message
 * is one line that starts with the file and says what is wrong.
 *
 * <p>Fatal for whoever needs the file: reading again gives the same bytes.
 */
public final class ModelFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String problem;

  /** {@code file} is the path as the user gave it; {@code problem} says what is wrong with it. */
  public ModelFileException(String file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #ModelFileException(String, String)}, keeping the failure that caused it. */
  public ModelFileException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The path of the file at fault. */
  public String file() {
    return file;
  }

  /** What is wrong with the file: the message without the file name. */
  public String problem() {
    return problem;
  }
}

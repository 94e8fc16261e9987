package dev.backstream.common.data;

/**
 * A file the user gave or we keep is missing, unreadable or not what it must be; the message is
 * one line that starts with the file and says what is wrong. Each kind of file has its subclass.
 *
 * <p>Fatal for whoever needs the file: reading again gives the same bytes.
 */
public abstract class BadFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String problem;

  /**
   * @param file the path as the user gave it, or a resource name
   * @param problem what is wrong with it
   * @param cause the failure behind it, or null
   */
  protected BadFileException(String file, String problem, Throwable cause) {
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

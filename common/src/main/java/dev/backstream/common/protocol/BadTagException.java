package dev.backstream.common.protocol;

/**
 * A signed JSON record (a heartbeat or a goodbye) whose tag is missing or does not match the run
 * key: it may come from a process that does not hold the key, so it is counted as
 * {@link RejectReason#BAD_TAG} and never applied.
 *
 * <p>Unchecked, and fatal for that one record only.
 */
public final class BadTagException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong with the tag, without the record's text
   */
  public BadTagException(String message) {
    super(message);
  }
}

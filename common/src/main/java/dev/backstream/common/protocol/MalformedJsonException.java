package dev.backstream.common.protocol;

/**
 * A JSON record could not be read: not JSON, trailing text, a wrong type for a field, or a value
 * the record rejects (for example a missing {@code run}).
 *
 * <p>Unchecked, and fatal for that one record only: a consumer counts it and skips the record;
 * retrying the same bytes fails the same way. The message names the record type and Jackson's
 * description of the problem, without the input text.
 */
public final class MalformedJsonException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what could not be read and why
   * @param cause Jackson's exception, or null
   */
  public MalformedJsonException(String message, Throwable cause) {
    super(message, cause);
  }
}

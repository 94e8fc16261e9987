package dev.backstream.common.model;

import dev.backstream.common.data.BadFileException;

/** A model file is missing, unreadable or not what it must be, or cannot be written. */
public final class ModelFileException extends BadFileException {
  private static final long serialVersionUID = 1L;

  /** {@code file} is the path as the user gave it; {@code problem} says what is wrong with it. */
  public ModelFileException(String file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #ModelFileException(String, String)}, keeping the failure that caused it. */
  public ModelFileException(String file, String problem, Throwable cause) {
    super(file, problem, cause);
  }
}

package dev.backstream.cli.base;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work, that a file or folder an option names can be written: a run of minutes
 * must not end by failing on its last line. Folders are never created beyond the one the user
 * named ({@link #folder}); a file's folder must exist, as for a shell redirection.
 */
public final class OutputFile {
  private OutputFile() {}

  /**
   * {@code file} if it can be written, null if not given (null or blank: compose passes unset
   * variables on as empty strings).
   *
   * @throws UserException (exit 2) naming the option, the value and why it cannot be written
   */
  public static Path check(String option, Path file) {
    if (file == null || file.toString().isBlank()) {
      return null;
    }
    if (Files.isDirectory(file)) {
      throw bad(option, file, "is a directory; name a file in it");
    }
    probe(option, file, file.toAbsolutePath().getParent());
    return file;
  }

  /**
   * {@code dir} if it is a writable folder or can be made one: its parent must exist, since only
   * the folder named is created.
   *
   * @throws UserException (exit 2) naming the option, the value and why it cannot be written
   */
  public static Path folder(String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw bad(option, dir, "is not a directory");
    }
    probe(option, dir, Files.isDirectory(dir) ? dir.toAbsolutePath() : dir.toAbsolutePath().getParent());
    return dir;
  }

  /** Creates a file in {@code folder} and deletes it: the only check root's permissions cannot fool. */
  private static void probe(String option, Path value, Path folder) {
    if (!Files.exists(folder)) {
      throw bad(option, value, "folder " + folder + " does not exist");
    }
    if (!Files.isDirectory(folder)) {
      throw bad(option, value, folder + " is not a directory");
    }
    try {
      Files.delete(Files.createTempFile(folder, ".backstream-", ".probe"));
    } catch (IOException e) {
      throw bad(option, value, "folder " + folder + " is not writable");
    }
  }

  private static UserException bad(String option, Path value, String why) {
    return UserException.usage("Invalid value " + value + " for " + option + ": " + why);
  }
}

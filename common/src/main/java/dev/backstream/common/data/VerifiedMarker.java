package dev.backstream.common.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code .verified} file of a data folder: for each file whose SHA-256 was checked, its size,
 * modification time and sum, so that later loads skip hashing 47 MB while the file is unchanged.
 *
 * <p>One line per file: {@code name size mtime-nanos sha256}. A file whose size or mtime changed is
 * hashed again. The marker is only a cache: unreadable lines are ignored, and failing to write it
 * (a read-only shared folder) costs a re-hash next time, not an error.
 */
final class VerifiedMarker {
  static final String FILE_NAME = ".verified";

  private final Path dir;
  private final Map<String, String> lines = new TreeMap<>();
  private boolean changed;

  private VerifiedMarker(Path dir) {
    this.dir = dir;
  }

  /** The marker of {@code dir}; empty if there is none or it cannot be read. */
  static VerifiedMarker of(Path dir) {
    VerifiedMarker marker = new VerifiedMarker(dir);
    try {
      for (String line : Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
        String[] parts = line.split(" ");
        if (parts.length == 4) {
          marker.lines.put(parts[0], line);
        }
      }
    } catch (NoSuchFileException e) {
      // No file verified yet.
    } catch (IOException e) {
      // A damaged marker only means hashing again.
    }
    return marker;
  }

  /** True if {@code file} was verified to have sum {@code sha256} and has not changed since. */
  boolean vouchesFor(Path file, String sha256) {
    String line = lines.get(file.getFileName().toString());
    try {
      return line != null && line.equals(line(file, sha256));
    } catch (IOException e) {
      return false;
    }
  }

  /** Notes that {@code file}, as it is now, has sum {@code sha256}; {@link #save()} keeps it. */
  void record(Path file, String sha256) {
    try {
      String line = line(file, sha256);
      changed |= !line.equals(lines.put(file.getFileName().toString(), line));
    } catch (IOException e) {
      // Not recording only means hashing again next time.
    }
  }

  /**
   * Writes the marker atomically if anything was recorded; silently keeps the old one if the folder
   * is not writable.
   */
  void save() {
    if (!changed) {
      return;
    }
    try {
      AtomicFile.write(dir.resolve(FILE_NAME), out -> {
        for (String line : lines.values()) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      });
    } catch (IOException e) {
      // the folder is not writable: the old marker stays, and files are checked again next time
    }
  }

  private static String line(Path file, String sha256) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    return file.getFileName()
        + " "
        + attrs.size()
        + " "
        + attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)
        + " "
        + sha256;
  }

}

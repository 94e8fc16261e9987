package dev.backstream.common.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes named arrays as an {@code .npz} file, as {@code numpy.savez_compressed} does: one
 * deflated zip entry {@code NAME.npy} per array, in the map's order.
 *
 * <p>Atomic: the zip is written to a temporary file beside the target and moved over it, so a
 * reader never sees half a model. Every entry has the same fixed timestamp, so the same arrays
 * always make the same bytes.
 */
public final class NpzWriter {
  /** The zip format's earliest time: entries carry no wall-clock time. */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private NpzWriter() {}

  /**
   * Writes {@code arrays} to {@code file}, replacing it; creates missing parent folders. Not
   * modified: arrays.
   *
   * @throws ModelFileException naming the file if it cannot be written
   */
  public static void write(Path file, Map<String, NpyArray> arrays) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      // Not Files.createTempFile: its owner-only permissions would stay on the model.
      Path tmp = parent.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
          + System.nanoTime() + ".tmp");
      try {
        try (OutputStream raw = new BufferedOutputStream(
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW));
            ZipOutputStream zip = new ZipOutputStream(raw)) {
          for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setTimeLocal(ENTRY_TIME);
            zip.putNextEntry(entry);
            zip.write(NpyFormat.encode(e.getValue()));
            zip.closeEntry();
          }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ModelFileException(file.toString(), "cannot write: " + e, e);
    }
  }
}

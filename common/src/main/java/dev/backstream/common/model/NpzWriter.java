package dev.backstream.common.model;

import dev.backstream.common.files.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
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
      AtomicFile.write(file, raw -> {
        ZipOutputStream zip = new ZipOutputStream(raw);
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
          ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
          entry.setTimeLocal(ENTRY_TIME);
          zip.putNextEntry(entry);
          zip.write(NpyFormat.encode(e.getValue()));
          zip.closeEntry();
        }
        // finish, not close: AtomicFile closes the file after it
        zip.finish();
      });
    } catch (IOException e) {
      throw new ModelFileException(file.toString(), "cannot write: " + e, e);
    }
  }
}

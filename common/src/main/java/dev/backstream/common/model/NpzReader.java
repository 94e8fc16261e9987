package dev.backstream.common.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads an {@code .npz} file (from {@link NpzWriter} or {@code numpy.savez[_compressed]}) into its
 * named arrays. Entries that are not {@code .npy} are ignored, as {@code numpy.load} lists them
 * but never parses them.
 */
public final class NpzReader {
  /** Far above any model we train (784-50-10 is 318 KB): a guard against a zip bomb. */
  static final long MAX_ENTRY_BYTES = 1L << 30;

  private NpzReader() {}

  /**
   * The arrays of {@code file} by name (the entry name without {@code .npy}), in the zip's order.
   *
   * @throws ModelFileException one line naming the file: missing, not a zip, or a broken entry
   */
  public static Map<String, NpyArray> read(Path file) {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new ModelFileException(name, "is a folder, not an .npz file");
    }
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (!entry.isDirectory() && entry.getName().endsWith(".npy")) {
          String key = entry.getName().substring(0, entry.getName().length() - 4);
          arrays.put(key, readEntry(name, zip, entry));
        }
      }
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ModelFileException(name, Files.exists(file) ? "cannot be read" : "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ModelFileException(name, "cannot be read (permission denied)", e);
    } catch (ZipException e) {
      throw new ModelFileException(name, "is not an .npz file (not a zip archive)", e);
    } catch (IOException e) {
      throw new ModelFileException(name, "cannot be read: " + e.getMessage(), e);
    }
    return arrays;
  }

  private static NpyArray readEntry(String file, ZipFile zip, ZipEntry entry) throws IOException {
    if (entry.getSize() > MAX_ENTRY_BYTES) {
      throw new ModelFileException(file, "entry " + entry.getName() + " has " + entry.getSize()
          + " bytes, more than the " + MAX_ENTRY_BYTES + " a model may have");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes((int) Math.min(MAX_ENTRY_BYTES, Integer.MAX_VALUE - 8));
    } catch (ZipException e) {
      throw new ModelFileException(file, "entry " + entry.getName() + " is corrupt: "
          + e.getMessage(), e);
    }
    try {
      return NpyFormat.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(file, "entry " + entry.getName() + ": " + e.getMessage(), e);
    }
  }
}

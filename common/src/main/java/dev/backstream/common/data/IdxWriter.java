package dev.backstream.common.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX image and label files, raw or gzip, in the layout {@link IdxReader} reads.
 *
 * <p>Writes in place, replacing what is there; callers that must never leave a half-written file
 * write to a temporary name and move it.
 */
public final class IdxWriter {
  private static final int BUFFER = 1 << 16;

  private IdxWriter() {}

  /** Writes {@code set}'s images to {@code images} and its labels to {@code labels}. */
  public static void write(LabeledImages set, Path images, Path labels, Compression compression) {
    writeImages(images, set.pixels(), set.count(), set.rows(), set.cols(), compression);
    writeLabels(labels, set.labels(), compression);
  }

  /**
   * Writes an images file of {@code count} images of {@code rows x cols}; {@code pixels} must hold
   * exactly that many bytes. Not modified.
   */
  public static void writeImages(
      Path file, byte[] pixels, int count, int rows, int cols, Compression compression) {
    if ((long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " pixels are not " + count + " images of " + rows + "x" + cols);
    }
    try (DataOutputStream out = open(file, compression)) {
      out.writeInt(IdxReader.IMAGES_MAGIC);
      out.writeInt(count);
      out.writeInt(rows);
      out.writeInt(cols);
      out.write(pixels);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes a labels file holding {@code labels}. Not modified. */
  public static void writeLabels(Path file, byte[] labels, Compression compression) {
    try (DataOutputStream out = open(file, compression)) {
      out.writeInt(IdxReader.LABELS_MAGIC);
      out.writeInt(labels.length);
      out.write(labels);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static DataOutputStream open(Path file, Compression compression) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    try {
      if (compression == Compression.GZIP) {
        out = new GZIPOutputStream(out, BUFFER);
      }
      return new DataOutputStream(new BufferedOutputStream(out, BUFFER));
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }
}

package dev.backstream.common.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX image and label files, raw or gzip, and checks them completely: magic number,
 * dimensions, exact length (a truncated file or one with trailing bytes is an error) and labels in
 * 0..9. Every failure is a one-line {@link DataFileException} naming the file.
 *
 * <p>IDX is big-endian: a 4-byte magic ({@code 0x00000803} for unsigned-byte images of 3
 * dimensions, {@code 0x00000801} for labels), one 4-byte size per dimension, then the bytes.
 */
public final class IdxReader {
  /** Magic number of an IDX file of unsigned bytes with three dimensions: images. */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned bytes with one dimension: labels. */
  public static final int LABELS_MAGIC = 0x00000801;

  // Java arrays stop a little short of Integer.MAX_VALUE on common JVMs.
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
  private static final int BUFFER = 1 << 16;

  private IdxReader() {}

  /**
   * Reads an images file and its labels file; each may be raw or gzip.
   *
   * @throws DataFileException if either file is missing, unreadable or malformed, or if their
   *     counts differ
   */
  public static LabeledImages read(Path images, Path labels) {
    ImageBlock block = readImages(images);
    return combine(images.toString(), block, labels.toString(), readLabels(labels));
  }

  /**
   * Reads images and labels from streams, raw or gzip; the names are only for messages. Leaves the
   * streams open, read to their end.
   *
   * @throws DataFileException if either stream is malformed or their counts differ
   */
  public static LabeledImages read(
      String imagesName, InputStream images, String labelsName, InputStream labels) {
    ImageBlock block = readImages(imagesName, images);
    return combine(imagesName, block, labelsName, readLabels(labelsName, labels));
  }

  /** Pixels of one images file before they are paired with labels. */
  static final class ImageBlock {
    final int count;
    final int rows;
    final int cols;
    final byte[] pixels;

    ImageBlock(int count, int rows, int cols, byte[] pixels) {
      this.count = count;
      this.rows = rows;
      this.cols = cols;
      this.pixels = pixels;
    }
  }

  static ImageBlock readImages(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readImages(file.toString(), in);
    } catch (IOException e) {
      throw unreadable(file.toString(), e);
    }
  }

  static byte[] readLabels(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readLabels(file.toString(), in);
    } catch (IOException e) {
      throw unreadable(file.toString(), e);
    }
  }

  /** Reads an images file from {@code in}, decompressing it if it starts with the gzip magic. */
  static ImageBlock readImages(String name, InputStream in) {
    try {
      InputStream data = decompressed(in);
      readMagic(name, data, IMAGES_MAGIC);
      int count = readInt(name, data, 8);
      int rows = readInt(name, data, 12);
      int cols = readInt(name, data, 16);
      String header = count + " images of " + rows + "x" + cols;
      if (count < 0 || rows < 1 || cols < 1) {
        throw new DataFileException(name, "bad dimensions: header says " + header);
      }
      byte[] pixels = readBody(name, data, header, (long) count * rows * cols);
      return new ImageBlock(count, rows, cols, pixels);
    } catch (IOException e) {
      throw unreadable(name, e);
    }
  }

  /** Reads a labels file from {@code in}, decompressing it if it starts with the gzip magic. */
  static byte[] readLabels(String name, InputStream in) {
    try {
      InputStream data = decompressed(in);
      readMagic(name, data, LABELS_MAGIC);
      int count = readInt(name, data, 8);
      if (count < 0) {
        throw new DataFileException(name, "bad dimensions: header says " + count + " labels");
      }
      byte[] labels = readBody(name, data, count + " labels", count);
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= LabeledImages.CLASSES) {
          throw new DataFileException(name, "label " + Byte.toUnsignedInt(labels[i]) + " at index "
              + i + " is not in 0.." + (LabeledImages.CLASSES - 1));
        }
      }
      return labels;
    } catch (IOException e) {
      throw unreadable(name, e);
    }
  }

  /**
   * {@code in} itself, buffered, if it holds raw bytes; a gzip decoder over it if it starts with
   * the gzip magic {@code 1f 8b}. The content decides, not the name: files get renamed.
   */
  public static InputStream decompressed(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, BUFFER) : buffered;
  }

  static LabeledImages combine(
      String imagesName, ImageBlock images, String labelsName, byte[] labels) {
    if (labels.length != images.count) {
      throw new DataFileException(
          labelsName,
          "holds "
              + labels.length
              + " labels but "
              + imagesName
              + " holds "
              + images.count
              + " images");
    }
    return new LabeledImages(images.pixels, labels, images.rows, images.cols);
  }

  private static void readMagic(String name, InputStream in, int expected) throws IOException {
    byte[] bytes = in.readNBytes(4);
    if (bytes.length < 4) {
      throw new DataFileException(
          name, "truncated: " + bytes.length + " bytes, too short for an IDX header");
    }
    int magic = toInt(bytes);
    if (magic != expected) {
      throw new DataFileException(
          name,
          String.format(
              "bad magic 0x%08x%s, expected 0x%08x (%s)",
              magic, describe(magic), expected, expected == IMAGES_MAGIC ? "images" : "labels"));
    }
  }

  private static String describe(int magic) {
    if (magic == IMAGES_MAGIC) {
      return " (an images file)";
    }
    return magic == LABELS_MAGIC ? " (a labels file)" : " (not an IDX file of unsigned bytes)";
  }

  /** Reads the big-endian int that ends at header offset {@code end}, for the message. */
  private static int readInt(String name, InputStream in, int end) throws IOException {
    byte[] bytes = in.readNBytes(4);
    if (bytes.length < 4) {
      throw new DataFileException(
          name, "truncated: the IDX header ends after " + (end - 4 + bytes.length) + " bytes");
    }
    return toInt(bytes);
  }

  private static int toInt(byte[] b) {
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  private static byte[] readBody(String name, InputStream in, String header, long length)
      throws IOException {
    String says = "header says " + header + " (" + length + " bytes)";
    if (length > MAX_BYTES) {
      throw new DataFileException(name, "bad dimensions: " + says + ", more than an array holds");
    }
    byte[] body = new byte[(int) length];
    int read = in.readNBytes(body, 0, body.length);
    if (read < body.length) {
      throw new DataFileException(name, "truncated: " + says + " but " + read + " bytes follow");
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new DataFileException(
          name, "trailing bytes: " + says + " but " + (length + extra) + " bytes follow");
    }
    return body;
  }

  private static DataFileException unreadable(String name, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new DataFileException(name, "not found", e);
    }
    if (e instanceof EOFException || e instanceof ZipException) {
      return new DataFileException(name, "corrupt gzip data: " + e.getMessage(), e);
    }
    return new DataFileException(name, "cannot read: " + e, e);
  }
}

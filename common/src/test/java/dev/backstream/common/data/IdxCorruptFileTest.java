package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class IdxCorruptFileTest {
  @TempDir Path dir;
  Path images;
  Path labels;

  @BeforeEach
  void writeValidPair() {
    images = dir.resolve("train-images-idx3-ubyte");
    labels = dir.resolve("train-labels-idx1-ubyte");
    IdxWriter.write(SmallSets.images(10, 3), images, labels, Compression.RAW);
  }

  @Test
  void badMagic() throws IOException {
    Files.copy(labels, images, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            images + ": bad magic 0x00000801 (a labels file), expected 0x00000803 (images)");
  }

  @Test
  void notAnIdxFileAtAll() throws IOException {
    Files.writeString(labels, "hello world");

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            labels
                + ": bad magic 0x68656c6c (not an IDX file of unsigned bytes), expected"
                + " 0x00000801 (labels)");
  }

  @Test
  void truncatedBody() throws IOException {
    truncate(images, 16 + 59);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            images + ": truncated: header says 10 images of 2x3 (60 bytes) but 59 bytes follow");
  }

  @Test
  void truncatedHeader() throws IOException {
    truncate(images, 10);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(images + ": truncated: the IDX header ends after 10 bytes");
  }

  @Test
  void emptyFile() throws IOException {
    truncate(labels, 0);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(labels + ": truncated: 0 bytes, too short for an IDX header");
  }

  @Test
  void trailingBytes() throws IOException {
    Files.write(labels, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            labels + ": trailing bytes: header says 10 labels (10 bytes) but 13 bytes follow");
  }

  @Test
  void trailingBytesInsideGzip() throws IOException {
    byte[] raw = Files.readAllBytes(images);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(images))) {
      out.write(raw);
      out.write(0);
    }

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            images
                + ": trailing bytes: header says 10 images of 2x3 (60 bytes) but 61 bytes follow");
  }

  @Test
  void truncatedGzip() throws IOException {
    IdxWriter.write(SmallSets.images(10, 3), images, labels, Compression.GZIP);
    truncate(images, Files.size(images) - 12);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": corrupt gzip data: ");
  }

  @Test
  void labelCountMismatch() {
    IdxWriter.writeLabels(labels, new byte[9], Compression.GZIP);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(labels + ": holds 9 labels but " + images + " holds 10 images");
  }

  @Test
  void labelOutsideTheTenClasses() {
    IdxWriter.writeLabels(labels, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 10}, Compression.RAW);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(labels + ": label 10 at index 9 is not in 0..9");
  }

  @Test
  void negativeCount() throws IOException {
    try (FileChannel ch = FileChannel.open(images, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 0, 0}), 4);
    }

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(images + ": bad dimensions: header says -16777216 images of 2x3");
  }

  @Test
  void sizeBeyondAnArray() throws IOException {
    try (FileChannel ch = FileChannel.open(images, StandardOpenOption.WRITE)) {
      ch.write(
          java.nio.ByteBuffer.wrap(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}), 4);
    }

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            images
                + ": bad dimensions: header says 2147483647 images of 2x3 (12884901882 bytes),"
                + " more than an array holds");
  }

  @Test
  void missingFile() throws IOException {
    Files.delete(labels);

    assertThatThrownBy(() -> IdxReader.read(images, labels))
        .isInstanceOf(DataFileException.class)
        .hasMessage(labels + ": not found");
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}

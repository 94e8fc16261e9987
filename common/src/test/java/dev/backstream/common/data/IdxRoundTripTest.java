package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class IdxRoundTripTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void readsBackWhatWasWritten(Compression compression) {
    LabeledImages set = SmallSets.images(25, 7);
    Path images = dir.resolve("images");
    Path labels = dir.resolve("labels");

    IdxWriter.write(set, images, labels, compression);

    assertThat(IdxReader.read(images, labels)).isEqualTo(set);
  }

  @Test
  void rawFileIsHeaderThenPixelsBigEndian() throws IOException {
    Path images = dir.resolve("images");
    IdxWriter.writeImages(images, new byte[] {1, 2, 3, 4, 5, (byte) 255}, 1, 2, 3, Compression.RAW);

    assertThat(Files.readAllBytes(images))
        .containsExactly(0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, -1);
  }

  @Test
  void gzipIsDetectedByContentNotByName() throws IOException {
    LabeledImages set = SmallSets.images(3, 0);
    Path images = dir.resolve("images.raw");
    Path labels = dir.resolve("labels.raw");
    IdxWriter.write(set, images, labels, Compression.GZIP);

    assertThat(Files.readAllBytes(images)).startsWith(0x1f, 0x8b);
    assertThat(IdxReader.read(images, labels)).isEqualTo(set);
  }

  @Test
  void readsFromStreamsUnderTheGivenNames() throws IOException {
    LabeledImages set = SmallSets.images(4, 9);
    Path images = dir.resolve("i.gz");
    Path labels = dir.resolve("l");
    IdxWriter.writeImages(images, set.pixels(), 4, 2, 3, Compression.GZIP);
    IdxWriter.writeLabels(labels, set.labels(), Compression.RAW);

    try (InputStream i = Files.newInputStream(images);
        InputStream l = Files.newInputStream(labels)) {
      assertThat(IdxReader.read("a", i, "b", l)).isEqualTo(set);
    }
  }

  @Test
  void zeroImagesIsAValidFile() {
    LabeledImages empty = SmallSets.images(0, 0);
    IdxWriter.write(empty, dir.resolve("i"), dir.resolve("l"), Compression.GZIP);

    assertThat(IdxReader.read(dir.resolve("i"), dir.resolve("l")).count()).isZero();
  }
}

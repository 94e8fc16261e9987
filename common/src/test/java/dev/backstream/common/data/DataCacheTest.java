package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DataCacheTest {
  private static final Path HOME = Path.of("/home/ada");

  @TempDir Path dir;

  @Test
  void explicitFolderIsUsedAsIs() {
    Path folder =
        DataCache.folder(
            DatasetName.MNIST,
            Optional.of(Path.of("/data/m")),
            Map.of("BACKSTREAM_DATA", "/e"),
            HOME);

    assertThat(folder).isEqualTo(Path.of("/data/m"));
  }

  @Test
  void environmentNamesTheParentOfDatasetFolders() {
    Path folder =
        DataCache.folder(
            DatasetName.FASHION_MNIST, Optional.empty(), Map.of("BACKSTREAM_DATA", "/e"), HOME);

    assertThat(folder).isEqualTo(Path.of("/e/fashion-mnist"));
  }

  @Test
  void defaultIsUnderTheUsersCache() {
    assertThat(DataCache.folder(DatasetName.MNIST, Optional.empty(), Map.of(), HOME))
        .isEqualTo(Path.of("/home/ada/.cache/backstream/mnist"));
    assertThat(
            DataCache.folder(
                DatasetName.MNIST, Optional.empty(), Map.of("BACKSTREAM_DATA", " "), HOME))
        .isEqualTo(Path.of("/home/ada/.cache/backstream/mnist"));
  }

  @Test
  void missingFileSaysHowToGetIt() {
    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            dir.resolve("train-images-idx3-ubyte")
                + ": missing (neither it nor"
                + " train-images-idx3-ubyte.gz is there); run `backstream data fetch --dataset"
                + " mnist` or place the four files in "
                + dir
                + " by hand");
  }

  @Test
  void wrongSumNamesFileBothSumsAndTheFix() throws IOException {
    SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    Path images = dir.resolve("train-images-idx3-ubyte");
    String actual = Sha256.ofContent(images);

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            images
                + ": SHA-256 is "
                + actual
                + " but mnist's train-images-idx3-ubyte has"
                + " ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db; delete it and"
                + " run `backstream data fetch --dataset mnist`");
  }

  @Test
  void gzipFilesAreCheckedToo() {
    SmallSets.writeDataset(dir, 5, 2, Compression.GZIP);

    assertThatThrownBy(() -> DataCache.load(DatasetName.FASHION_MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir.resolve("train-images-idx3-ubyte.gz") + ": SHA-256 is ")
        .hasMessageContaining("but fashion-mnist's train-images-idx3-ubyte has c59f468a");
  }

  @Test
  void filesTheMarkerVouchesForAreNotHashedAgain() {
    Dataset written = SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    vouchForAll(Compression.RAW);

    // The tiny files would fail the pinned sums if they were hashed.
    assertThat(DataCache.load(DatasetName.MNIST, dir)).isEqualTo(written);
  }

  @Test
  void markerWorksForGzipFiles() {
    Dataset written = SmallSets.writeDataset(dir, 5, 2, Compression.GZIP);
    vouchForAll(Compression.GZIP);

    assertThat(DataCache.load(DatasetName.MNIST, dir)).isEqualTo(written);
  }

  @Test
  void aChangedFileIsHashedAgain() throws IOException {
    SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    vouchForAll(Compression.RAW);
    Path labels = dir.resolve("t10k-labels-idx1-ubyte");
    Files.setLastModifiedTime(labels, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(labels + ": SHA-256 is ");
  }

  @Test
  void rawIsPreferredOverGzip() throws IOException {
    Dataset raw = SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    vouchForAll(Compression.RAW);
    Files.writeString(dir.resolve("train-images-idx3-ubyte.gz"), "not even gzip");

    assertThat(DataCache.load(DatasetName.MNIST, dir)).isEqualTo(raw);
  }

  @Test
  void malformedFileSaysHowToReplaceIt() throws IOException {
    SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    Files.write(labels, new byte[] {7}, java.nio.file.StandardOpenOption.APPEND);
    vouchForAll(Compression.RAW);

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            labels
                + ": trailing bytes: header says 5 labels (5 bytes) but 6 bytes follow; delete"
                + " it and run `backstream data fetch --dataset mnist`");
  }

  @Test
  void countsOfImagesAndLabelsMustAgree() {
    SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    Path labels = dir.resolve("t10k-labels-idx1-ubyte");
    IdxWriter.writeLabels(labels, new byte[] {1, 2, 3}, Compression.RAW);
    vouchForAll(Compression.RAW);

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(
            labels
                + ": holds 3 labels but "
                + dir.resolve("t10k-images-idx3-ubyte")
                + " holds 2 images");
  }

  /** Records the pinned MNIST sums for the files as they are now, as a past check would have. */
  private void vouchForAll(Compression compression) {
    VerifiedMarker marker = VerifiedMarker.of(dir);
    for (DataFile file : DataFile.values()) {
      String name = compression == Compression.GZIP ? file.gzipFileName() : file.fileName();
      marker.record(dir.resolve(name), DatasetName.MNIST.sha256(file));
    }
    marker.save();
  }
}

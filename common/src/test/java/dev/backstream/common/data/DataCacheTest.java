package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
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

  /** A labels file of the published size (60,000 labels) whose content is not MNIST's. */
  private Path fullSizeWrongTrainLabels(Compression compression) {
    SmallSets.writeDataset(dir, 5, 2, compression);
    String name = compression == Compression.GZIP ? "train-labels-idx1-ubyte.gz" : "train-labels-idx1-ubyte";
    Path labels = dir.resolve(name);
    IdxWriter.writeLabels(labels, new byte[60_000], compression);
    return labels;
  }

  @Test
  void wrongSumNamesFileBothSumsAndTheFix() throws IOException {
    Path labels = fullSizeWrongTrainLabels(Compression.RAW);
    String actual = Sha256.ofContent(labels);

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessage(
            labels
                + ": SHA-256 is "
                + actual
                + " but mnist's train-labels-idx1-ubyte has"
                + " 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5; run"
                + " `backstream data fetch --dataset mnist` to replace it");
  }

  @Test
  void gzipFilesAreCheckedToo() {
    fullSizeWrongTrainLabels(Compression.GZIP);

    assertThatThrownBy(() -> DataCache.load(DatasetName.FASHION_MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir.resolve("train-labels-idx1-ubyte.gz") + ": SHA-256 is ")
        .hasMessageContaining("but fashion-mnist's train-labels-idx1-ubyte has bad3541b");
  }

  @Test
  void aWellFormedSetOfAnotherSizeLoadsWithoutAChecksum() {
    // the user's own subset: nothing to check it against, and the reader vouches for its form
    Dataset written = SmallSets.writeDataset(dir, 5, 2, Compression.GZIP);

    assertThat(DataCache.load(DatasetName.MNIST, dir)).isEqualTo(written);
  }

  @Test
  void aFileCorruptedInPlaceIsRefusedThoughSizeAndTimeAreKept() throws IOException {
    Path labels = fullSizeWrongTrainLabels(Compression.RAW);
    Files.setLastModifiedTime(labels, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    // a loader that trusted size and mtime (as the .verified marker did) would take this file
    Files.write(dir.resolve(".verified"), List.of("train-labels-idx1-ubyte 60008 "
        + Files.getLastModifiedTime(labels).to(java.util.concurrent.TimeUnit.NANOSECONDS) + " "
        + DatasetName.MNIST.sha256(DataFile.TRAIN_LABELS)));

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(labels + ": SHA-256 is ");
  }

  @Test
  void aFolderWhereAFileGoesIsNamedAsSuch() throws IOException {
    SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    Path images = dir.resolve("t10k-images-idx3-ubyte");
    Files.delete(images);
    Files.createDirectory(images);

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(images + ": is a directory, not the data file");
  }

  @Test
  void rawIsPreferredOverGzip() throws IOException {
    Dataset raw = SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    Files.writeString(dir.resolve("train-images-idx3-ubyte.gz"), "not even gzip");


    assertThat(DataCache.load(DatasetName.MNIST, dir)).isEqualTo(raw);
  }

  @Test
  void malformedFileSaysHowToReplaceIt() throws IOException {
    SmallSets.writeDataset(dir, 5, 2, Compression.RAW);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    Files.write(labels, new byte[] {7}, java.nio.file.StandardOpenOption.APPEND);

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

    assertThatThrownBy(() -> DataCache.load(DatasetName.MNIST, dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(
            labels
                + ": holds 3 labels but "
                + dir.resolve("t10k-images-idx3-ubyte")
                + " holds 2 images");
  }
}

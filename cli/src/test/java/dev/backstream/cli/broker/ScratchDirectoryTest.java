package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A throwaway broker's logs go to memory where there is room, and dead brokers' are swept. */
class ScratchDirectoryTest {
  @TempDir Path tmp;

  private Path folder(String name, Instant modified) throws IOException {
    Path f = Files.createDirectory(tmp.resolve(name));
    Files.setLastModifiedTime(f, FileTime.from(modified));
    return f;
  }

  @Test
  void aWritableFolderWithRoomIsChosenElseTheFallback() throws IOException {
    Path fallback = Files.createDirectory(tmp.resolve("fallback"));
    // the test's own folder has a gigabyte free on any machine that builds this
    assertThat(ScratchDirectory.parent(tmp, fallback)).isEqualTo(tmp);
    assertThat(ScratchDirectory.parent(tmp.resolve("missing"), fallback)).isEqualTo(fallback);
    Path file = Files.createFile(tmp.resolve("a-file"));
    assertThat(ScratchDirectory.parent(file, fallback)).isEqualTo(fallback);
  }

  @Test
  void onlyOldFoldersThatNoBrokerHoldsAreSwept() throws IOException {
    Instant now = Instant.parse("2026-12-05T12:00:00Z");
    Instant old = now.minus(ScratchDirectory.YOUNG).minusSeconds(1);
    Path dead = folder(ScratchDirectory.PREFIX + "dead", old);
    Path held = folder(ScratchDirectory.PREFIX + "held", old);
    Path young = folder(ScratchDirectory.PREFIX + "young", now.minusSeconds(5));
    Path notOurs = folder("someone-elses", old);
    List<Path> deleted = new ArrayList<>();

    try (DataDirectoryLock lock = DataDirectoryLock.acquire(held)) {
      ScratchDirectory.sweep(tmp, now, deleted::add);
    }

    assertThat(deleted).containsExactly(dead);
    assertThat(List.of(held, young, notOurs)).allSatisfy(p -> assertThat(p).isDirectory());
  }

  @Test
  void aSweptFolderIsGoneWithItsLogs() throws IOException {
    Instant now = Instant.now();
    Path dead = folder(ScratchDirectory.PREFIX + "dead", now.minus(ScratchDirectory.YOUNG).minusSeconds(1));
    Files.createDirectories(dead.resolve("logs/backstream.r.steps-0"));
    Files.writeString(dead.resolve("logs/backstream.r.steps-0/00000000000000000000.log"), "x");
    Files.setLastModifiedTime(dead, FileTime.from(now.minus(ScratchDirectory.YOUNG).minusSeconds(1)));

    ScratchDirectory.sweep(tmp, now, EmbeddedKafkaBroker::deleteRecursively);

    assertThat(dead).doesNotExist();
  }
}

package dev.backstream.cli.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A broker's claim on its data directory: an OS file lock on {@code DIR/backstream-broker.lock},
 * which holds the owner's pid. It is taken before Kafka formats or opens anything in the
 * directory, so a second broker on the same folder refuses at once instead of mapping the first
 * one's log segments (which once killed the first with "unsafe memory access").
 *
 * <p>The lock is the operating system's: it goes with the process, however the process ends, so a
 * killed broker leaves a lock file that the next one simply takes over. Thread-safe.
 */
final class DataDirectoryLock implements AutoCloseable {

  /** The lock file's name in the data directory. */
  static final String FILE_NAME = "backstream-broker.lock";

  /** The real paths of the directories this JVM's brokers hold. */
  private static final Set<Path> HELD = new HashSet<>();

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir}, an existing directory, and writes this process's pid into it.
   *
   * @throws InUseException if another broker holds it, naming that broker's pid
   * @throws IOException if the lock file cannot be created or written
   */
  static DataDirectoryLock acquire(Path dir) throws IOException {
    Path real = dir.toRealPath();
    synchronized (HELD) {
      // A broker of this JVM holds it. Checked before opening the file: on Linux, closing any
      // channel to a locked file drops this process's lock on it, the holder's included.
      if (HELD.contains(real)) {
        throw new InUseException(dir, Long.toString(ProcessHandle.current().pid()));
      }
      DataDirectoryLock taken = lock(dir, real);
      HELD.add(real);
      return taken;
    }
  }

  private static DataDirectoryLock lock(Path dir, Path real) throws IOException {
    // no TRUNCATE_EXISTING: the owner's pid must stay readable for the refusal
    FileChannel channel = FileChannel.open(real.resolve(FILE_NAME), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String owner = readOwner(channel);
      channel.close();
      throw new InUseException(dir, owner);
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new DataDirectoryLock(real, channel, lock);
  }

  private static String readOwner(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      int n = channel.read(buffer, 0);
      String pid = n <= 0 ? "" : new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).trim();
      // between its lock and its write, the owner's file is still empty
      return pid.matches("\\d+") ? pid : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Releases the lock; the file stays, for the next broker to lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      synchronized (HELD) {
        HELD.remove(directory);
      }
    }
  }

  /** Another live broker holds the data directory. */
  static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(Path dir, String pid) {
      super(dir + " is in use by a broker, pid " + pid);
    }
  }
}

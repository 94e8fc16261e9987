package dev.backstream.cli.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the programs some tests need (docker, docker-compose, chromium), as a shell would. */
public final class Executables {
  private Executables() {}

  /** The first executable {@code name} in a directory of {@code PATH}, or null if there is none. */
  public static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}

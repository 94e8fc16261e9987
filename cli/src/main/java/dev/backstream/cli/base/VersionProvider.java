package dev.backstream.cli.base;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into {@code version.properties} at build time. */
public final class VersionProvider implements IVersionProvider {

  /** The project version, or "unknown" when run from classes not built by Maven. */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "backstream " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
          + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }
}

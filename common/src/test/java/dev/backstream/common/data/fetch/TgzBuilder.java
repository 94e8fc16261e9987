package dev.backstream.common.data.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes a gzipped ustar archive, the way npm packs a package, for tests of the tar reader. */
final class TgzBuilder implements AutoCloseable {
  private final OutputStream out;

  TgzBuilder(Path file) throws IOException {
    out = new GZIPOutputStream(Files.newOutputStream(file));
  }

  /** Adds a regular file; a name over 100 bytes is split into the ustar prefix. */
  TgzBuilder file(String name, byte[] content) throws IOException {
    entry(name, '0', content);
    return this;
  }

  /** Adds a directory entry, which readers of files must skip. */
  TgzBuilder directory(String name) throws IOException {
    entry(name, '5', new byte[0]);
    return this;
  }

  /** Adds a pax extended header whose {@code path} record renames the next entry. */
  TgzBuilder paxPath(String path) throws IOException {
    String body = " path=" + path + "\n";
    String record = (body.length() + 3) + body;
    entry("PaxHeader", 'x', record.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  private void entry(String name, char type, byte[] content) throws IOException {
    byte[] header = new byte[512];
    String prefix = "";
    if (name.length() > 100) {
      int slash = name.lastIndexOf('/', 155);
      prefix = name.substring(0, slash);
      name = name.substring(slash + 1);
    }
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0001750");
    put(header, 116, "0001750");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, "12575062514");
    header[156] = (byte) type;
    put(header, 257, "ustar");
    put(header, 263, "00");
    put(header, 345, prefix);
    put(header, 148, "        ");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    header[155] = ' ';
    out.write(header);
    out.write(content);
    out.write(new byte[(512 - content.length % 512) % 512]);
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  @Override
  public void close() throws IOException {
    out.write(new byte[1024]);
    out.close();
  }
}

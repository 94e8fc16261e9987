package dev.backstream.common.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the regular files of a ustar archive one after the other, as npm packs them; enough tar for
 * that, so no archive library is needed. Understands the ustar name prefix and pax and GNU long
 * names; skips directories, links and other entries.
 */
final class TarReader {
  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /**
   * The path of the next regular file, whose bytes {@link #content()} then reads, or null at the
   * end of the archive. Skips what was left unread of the previous file.
   */
  String next() throws IOException {
    skipRest();
    String longName = null;
    while (true) {
      byte[] header = in.readNBytes(BLOCK);
      if (header.length == 0 || isZero(header)) {
        return null;
      }
      if (header.length < BLOCK) {
        throw new IOException("tar archive ends inside a header");
      }
      char type = (char) header[156];
      long size = octal(header, 124, 12);
      remaining = size;
      padding = (BLOCK - size % BLOCK) % BLOCK;
      if (type == 'x' || type == 'L') {
        String data = new String(readEntry(), StandardCharsets.UTF_8);
        longName = type == 'L' ? data.replace("\0", "") : paxPath(data, longName);
      } else if (type == '0' || type == '\0') {
        return longName != null ? longName : name(header);
      } else {
        skipRest();
      }
    }
  }

  /** The unread bytes of the current file; closing it leaves the archive open. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new IOException("tar archive ends inside a file");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private byte[] readEntry() throws IOException {
    byte[] data = in.readNBytes((int) remaining);
    remaining = 0;
    skipRest();
    return data;
  }

  private void skipRest() throws IOException {
    in.skipNBytes(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private static String name(byte[] header) {
    String name = text(header, 0, 100);
    boolean ustar = text(header, 257, 5).equals("ustar");
    String prefix = ustar ? text(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** The {@code path} record of a pax header ("LEN path=VALUE\n" records), else {@code dflt}. */
  private static String paxPath(String records, String dflt) {
    for (String record : records.split("\n")) {
      int eq = record.indexOf(" path=");
      if (eq >= 0) {
        return record.substring(eq + 6);
      }
    }
    return dflt;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    String digits = text(header, offset, length).trim();
    try {
      return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    } catch (NumberFormatException e) {
      throw new IOException("bad tar size field '" + digits + "'", e);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}

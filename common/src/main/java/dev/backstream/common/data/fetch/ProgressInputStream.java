package dev.backstream.common.data.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports every byte read through it to a {@link FetchProgress}. */
final class ProgressInputStream extends FilterInputStream {
  private final FetchProgress progress;

  ProgressInputStream(InputStream in, FetchProgress progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      progress.advanced(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      progress.advanced(n);
    }
    return n;
  }
}

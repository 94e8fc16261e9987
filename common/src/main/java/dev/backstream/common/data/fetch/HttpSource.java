package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.IdxReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A web folder serving the files gzipped under their usual names plus {@code .gz}. */
final class HttpSource implements FetchSource {
  // Short, so that a machine without internet moves on to the next source quickly.
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  // Until the response headers arrive; the download itself may take longer.
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient client;

  HttpSource(String base, HttpClient client) {
    this.base = URI.create(base);
    this.client = client;
  }

  /** A client with the short connect timeout that honours the JVM's proxy settings. */
  static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .proxy(ProxySelector.getDefault())
        .build();
  }

  @Override
  public String description() {
    return base.toString();
  }

  @Override
  public void fetch(List<DataFile> files, FileSink sink, FetchProgress progress)
      throws IOException, InterruptedException {
    for (DataFile file : files) {
      try {
        download(file, sink, progress);
      } catch (IOException e) {
        throw new IOException(file.gzipFileName() + ": " + DatasetFetcher.oneLine(e), e);
      }
    }
  }

  private void download(DataFile file, FileSink sink, FetchProgress progress)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(file.gzipFileName())).timeout(RESPONSE_TIMEOUT).build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      progress.started(file.gzipFileName() + " from " + base.getHost(), length);
      try {
        // By content, not by name: a proxy may have decompressed it already.
        sink.accept(file, IdxReader.decompressed(new ProgressInputStream(body, progress)));
      } finally {
        progress.finished();
      }
    }
  }
}

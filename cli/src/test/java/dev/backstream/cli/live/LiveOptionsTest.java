package dev.backstream.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.SubsetOnDisk;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --http} as a user meets it on the command line. */
class LiveOptionsTest {
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void trainPrintsTheAddressAndStopsServingWhenItEnds(@TempDir Path dir) throws Exception {
    Path data = SubsetOnDisk.write(dir);
    assertThat(run("train", "--local", "--data", data.toString(), "--steps", "20", "--http", "0"))
        .as(cli.err()).isZero();
    Matcher m = Pattern.compile("Live page: (http://localhost:\\d+/)").matcher(cli.out());
    assertThat(m.find()).as(cli.out()).isTrue();

    HttpRequest request = HttpRequest.newBuilder(URI.create(m.group(1) + "metrics")).build();
    try {
      HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
      throw new AssertionError("the server still answers after the command ended");
    } catch (ConnectException expected) {
      // nothing listens any more
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "web"})
  void aPortOutsideTheRangeIsAUsageError(String port) {
    assertThat(run("train", "--local", "--http", port)).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains("Invalid value " + port + " for --http: must be a port in [0, 65535]");
  }
}

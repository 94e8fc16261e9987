package dev.backstream.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.testing.Chromium;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2-worker run over Kafka with the live page on: what its page draws in a real browser and what
 * its {@code /metrics} says, both against the epochs the run reported. The server stays up after
 * the run, as a page polled at the end of a run would see it.
 */
@ExtendWith(KafkaBroker.class)
class LivePageTest {
  /** Three epochs of the 2,000-image subset: 20 steps of 100 each. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 60, 100, 0.1, 50, Activation.RELU, 3, 4, 0.01);
  private static final Pattern EPOCH_POINT =
      Pattern.compile("<circle class=\"point (train|test|eloss)\"[^>]*data-epoch=\"(\\d+)\"");

  private static final List<EpochReport> reported = new CopyOnWriteArrayList<>();
  private static LivePage page;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void trainWithTheLivePage(KafkaSettings kafka) throws Exception {
    Dataset subset = TestDatasets.mnistSubset();
    page = LivePage.start(0, "live");
    TrainingListener recorder = new TrainingListener() {
      @Override
      public void onEpoch(EpochReport report) {
        reported.add(report);
      }
    };
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, "live", 2), subset, Duration.ofSeconds(30))) {
      Coordinator.run(CoordinatorConfig.of(kafka, "live", SETTINGS), subset, page.with(recorder));
    }
  }

  @AfterAll
  static void stopThePage() {
    if (page != null) {
      page.close();
    }
  }

  @Test
  void theChartShowsEveryEpochTheRunFinished(@TempDir Path work) throws Exception {
    // In the test, not in @BeforeAll: Surefire counts a class-level skip as zero tests run.
    Path chromium = Chromium.assumePresent();
    String dom = Chromium.dumpDom(chromium, page.url(), work);

    Map<String, List<Integer>> epochs = Map.of("train", new CopyOnWriteArrayList<>(),
        "test", new CopyOnWriteArrayList<>(), "eloss", new CopyOnWriteArrayList<>());
    Matcher m = EPOCH_POINT.matcher(dom);
    while (m.find()) {
      epochs.get(m.group(1)).add(Integer.parseInt(m.group(2)));
    }
    List<Integer> finished = reported.stream().map(EpochReport::epoch).toList();
    assertThat(finished).containsExactly(1, 2, 3);
    assertThat(epochs.get("train")).as("train accuracy points in %s", dom).isEqualTo(finished);
    assertThat(epochs.get("test")).as("test accuracy points").isEqualTo(finished);
    assertThat(epochs.get("eloss")).as("epoch loss points").isEqualTo(finished);
    assertThat(dom).contains("id=\"status\" class=\"finished\"");
    assertThat(dom).contains("epoch 3, done");
  }

  @Test
  void metricsGiveTheLastEpochInPrometheusTextFormat() throws Exception {
    HttpResponse<String> response = get("metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(LiveMetrics.CONTENT_TYPE);

    EpochReport last = reported.get(reported.size() - 1);
    assertThat(PrometheusText.samples(response.body()))
        .containsEntry("backstream_epoch{run=\"live\"}", 3.0)
        .containsEntry("backstream_step{run=\"live\"}", 60.0)
        .containsEntry("backstream_steps_planned{run=\"live\"}", 60.0)
        .containsEntry("backstream_test_accuracy{run=\"live\"}", last.testAccuracy())
        .containsEntry("backstream_train_accuracy{run=\"live\"}", last.trainAccuracy())
        .containsEntry("backstream_loss{run=\"live\"}", last.loss())
        .containsEntry("backstream_live_workers{run=\"live\"}", 2.0)
        .containsEntry("backstream_shards_resent_total{run=\"live\"}", (double) last.cluster().shardsResent())
        .containsKey("backstream_frames_rejected_total{reason=\"BAD_CRC\",run=\"live\"}");
  }

  @Test
  void stateHoldsTheEpochsAndTheLossCurve() throws Exception {
    HttpResponse<String> response = get("api/state");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode state = new ObjectMapper().readTree(response.body());
    assertThat(state.get("run").asText()).isEqualTo("live");
    assertThat(state.get("finished").asBoolean()).isTrue();
    assertThat(state.get("epochs")).hasSize(3);
    assertThat(state.get("epochs").get(2).get("testAccuracy").asDouble())
        .isEqualTo(reported.get(2).testAccuracy());
    assertThat(state.get("loss")).hasSize(60);
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("nothing-here").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(page.url().resolve("metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = page.url().resolve(path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.backstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.protocol.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  @Test
  void runTopicsAreBoundedAndCheckpointsCompacted() {
    Topics topics = Topics.forRun("t");

    List<TopicSpec> specs = TopicSpec.forRun(topics, 1);

    assertThat(specs).extracting(TopicSpec::name).containsExactlyElementsOf(topics.all());
    assertThat(specs).allSatisfy(s -> {
      assertThat(s.partitions()).isEqualTo(1);
      assertThat(s.configs()).containsEntry("max.message.bytes", "8388608");
    });
    assertThat(specs.get(0).configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "600000")
        .containsEntry("retention.bytes", "67108864")
        .containsEntry("segment.bytes", "16777216");
    assertThat(specs.get(1).configs()).isEqualTo(specs.get(0).configs());
    assertThat(specs.get(4).configs()).containsEntry("cleanup.policy", "compact");
    // metrics and checkpoints outlive the run whatever the broker's log.retention.ms
    assertThat(specs).extracting(TopicSpec::kept).containsExactly(false, false, false, true, true);
    assertThat(specs.get(3).configs())
        .containsEntry("retention.ms", "-1").containsEntry("retention.bytes", "-1");
  }

  @Test
  void replicationIsWhatTheLiveBrokersCanGiveUpToThree() {
    assertThat(TopicSpec.replicationFor(1)).isEqualTo(1);
    assertThat(TopicSpec.replicationFor(2)).isEqualTo(2);
    assertThat(TopicSpec.replicationFor(3)).isEqualTo(3);
    assertThat(TopicSpec.replicationFor(7)).isEqualTo(3);
    assertThatThrownBy(() -> TopicSpec.replicationFor(0))
        .hasMessageContaining("0 live brokers");
  }

  @Test
  void minInsyncIsTwoFromThreeReplicasOnAndOneBelow() {
    Topics topics = Topics.forRun("t");

    assertThat(TopicSpec.forRun(topics, 3)).allSatisfy(s -> {
      assertThat(s.replicationFactor()).isEqualTo(3);
      assertThat(s.configs()).containsEntry("min.insync.replicas", "2");
    });
    assertThat(TopicSpec.forRun(topics, 2))
        .allSatisfy(s -> assertThat(s.configs()).containsEntry("min.insync.replicas", "1"));
    assertThat(TopicSpec.forRun(topics, 1))
        .allSatisfy(s -> assertThat(s.configs()).containsEntry("min.insync.replicas", "1"));
  }

  @Test
  void newTopicCarriesEverySetting() {
    NewTopic topic = new TopicSpec("x", 2, 3, Map.of("a", "b")).toNewTopic();

    assertThat(topic.name()).isEqualTo("x");
    assertThat(topic.numPartitions()).isEqualTo(2);
    assertThat(topic.replicationFactor()).isEqualTo((short) 3);
    assertThat(topic.configs()).containsExactly(Map.entry("a", "b"));
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> new TopicSpec("x", 0, 1, Map.of()))
        .hasMessage("Invalid value 0 for partitions of x: must be at least 1");
    assertThatThrownBy(() -> TopicSpec.forRun(Topics.forRun("t"), 0))
        .hasMessageContaining("Invalid value 0 for replication factor");
  }
}

package dev.backstream.cli.broker;

import dev.backstream.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Properties;

/** The server properties of the embedded single-node KRaft broker. */
final class BrokerProperties {

  private BrokerProperties() {}

  /**
   * Returns the properties of a combined broker and controller on loopback.
   *
   * @param port the client listener port
   * @param controllerPort the controller listener port
   * @param logDir the log directory
   */
  static Properties of(int port, int controllerPort, Path logDir) {
    String host = EmbeddedKafkaBroker.HOST;
    String maxMessage = Integer.toString(KafkaSettings.MAX_MESSAGE_BYTES);
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":"
        + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());

    // One node: every internal topic has one replica, and one partition is plenty.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("num.partitions", "1");
    // Run topics are created with their own configs (TopicSpec); a typo must not make a new one.
    p.put("auto.create.topics.enable", "false");

    p.put("message.max.bytes", maxMessage);
    p.put("replica.fetch.max.bytes", maxMessage);

    // A long benchmark filled 15 GB without limits; check often, since steps arrive fast.
    p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    p.put("log.retention.bytes", Integer.toString(64 * 1024 * 1024));
    p.put("log.retention.ms", "600000");
    // A run moves about 45 MB/s through steps and gradients: with the defaults (check every
    // 30 s, delete 60 s after) a full run left 4.3 GB behind; checked and deleted every 5 s, the
    // tensor topics stay near their 64 MiB bound.
    p.put("log.retention.check.interval.ms", "5000");
    p.put("log.segment.delete.delay.ms", "5000");
    // The cleaner only compacts checkpoints (few keys); its 128 MiB default map is wasted memory.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

    // Groups tell who is alive: a join must not wait, and a dead member must show within ~1 s.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.min.session.timeout.ms", "1000");
    p.put("group.consumer.min.session.timeout.ms", "1000");
    p.put("group.consumer.min.heartbeat.interval.ms", "250");
    return p;
  }
}

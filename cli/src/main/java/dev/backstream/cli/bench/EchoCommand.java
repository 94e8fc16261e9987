package dev.backstream.cli.bench;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.options.KafkaOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code backstream bench echo}: the far side of {@code bench step}'s ping-pong, in a process of
 * its own. Echoes a run's steps topic onto its gradients topic until SIGTERM. Hidden: only {@link
 * StepBench} starts it.
 */
@Command(
    name = "echo",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Re-publish every record of a run's steps topic on its gradients topic until stopped.")
public final class EchoCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Override
  public Integer call() throws InterruptedException {
    KafkaEcho echo = new KafkaEcho(kafka.settings(), kafka.run());
    CountDownLatch finished = new CountDownLatch(1);
    // SIGTERM: wake the loop and let it close its clients before the JVM goes
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      echo.stop();
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "backstream-echo-shutdown"));
    try {
      echo.run();
    } finally {
      finished.countDown();
    }
    return ExitCodes.OK;
  }
}

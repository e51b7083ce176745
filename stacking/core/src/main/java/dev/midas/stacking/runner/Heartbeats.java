package dev.midas.stacking.runner;

import com.google.protobuf.util.JsonFormat;
import dev.midas.proto.Heartbeat;
import dev.midas.stacking.train.StepMetrics;
import dev.midas.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stage's (or an evaluation's) heartbeat object (proto {@code Heartbeat} as JSON) on its
 * own thread every {@code periodSeconds}, whatever the training loop is doing (a long step,
 * loading, evaluating), from the latest step metrics. A failed write is logged and retried at the
 * next tick: a heartbeat is progress information, never a reason to stop training.
 */
final class Heartbeats implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
  private final ObjectStore store;
  private final String key;
  private final AtomicReference<Heartbeat> latest;
  private final ScheduledExecutorService timer;

  Heartbeats(ObjectStore store, String key, Heartbeat initial, double periodSeconds) {
    this.store = store;
    this.key = key;
    this.latest = new AtomicReference<>(initial);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat");
              t.setDaemon(true);
              return t;
            });
    long periodMillis = Math.max(1, Math.round(periodSeconds * 1000));
    timer.scheduleAtFixedRate(this::write, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Records a step's metrics; the next tick writes them. */
  void onStep(StepMetrics m, long stageSteps) {
    latest.set(
        latest.get().toBuilder()
            .setGlobalStep(m.globalStep())
            .setStageStep(m.stageStep())
            .setStageSteps(stageSteps)
            .setTokensSeen(m.tokensSeen())
            .setLoss(m.loss())
            .setTokensPerSecond(m.tokensPerSecond())
            .setEtaSeconds(m.etaSeconds())
            .setLearningRate(m.learningRate())
            .build());
  }

  /** Changes the heartbeat in any other way (an evaluation's progress); the next tick writes it. */
  void update(java.util.function.UnaryOperator<Heartbeat> change) {
    latest.updateAndGet(change);
  }

  private void write() {
    Heartbeat h = latest.get().toBuilder().setUpdatedAtMillis(System.currentTimeMillis()).build();
    try {
      store.put(key, JsonFormat.printer().print(h).getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      LOG.warn("heartbeat write to {} failed: {}", store.uri(key), e.toString());
    }
  }

  /** Stops the timer and writes the final state once more. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    write();
  }
}

package dev.midas.stacking.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs loss, learning rate, tokens/s and ETA every {@code every} steps (and the last step). */
public final class LoggingTrainListener implements TrainListener {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingTrainListener.class);
  private final long every;

  public LoggingTrainListener(long every) {
    this.every = Math.max(1, every);
  }

  @Override
  public void onStep(StepMetrics m) {
    if (m.step() % every == 0 || m.step() == m.steps()) {
      LOG.info(
          String.format(
              "step %d (%d/%d) loss %.4f lr %.3g grad %.3f  %.0f tok/s  eta %.0fs",
              m.globalStep(),
              m.step(),
              m.steps(),
              m.loss(),
              m.learningRate(),
              m.gradNorm(),
              m.tokensPerSecond(),
              m.etaSeconds()));
    }
  }
}

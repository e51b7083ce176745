package dev.midas.stacking.runner;

import dev.midas.stacking.progress.Progress;
import java.io.PrintStream;

/**
 * An evaluation's progress, reported as the pod contract asks: in its heartbeat object (units done
 * of the whole, what it is doing) and as one line on stdout per change, which a local parent shows:
 * {@code evaluate: 3/12 step 40 val loss 3.214}.
 */
final class EvaluationProgress implements Progress {
  private final Heartbeats heartbeats;
  private final PrintStream out;
  private long done;
  private long total;

  EvaluationProgress(Heartbeats heartbeats, PrintStream out) {
    this.heartbeats = heartbeats;
    this.out = out;
  }

  @Override
  public synchronized void stepTo(long units) {
    done = units;
    heartbeats.update(h -> h.toBuilder().setStageStep(units).build());
  }

  @Override
  public synchronized void maxHint(long units) {
    total = units;
    heartbeats.update(h -> h.toBuilder().setStageSteps(units).build());
  }

  @Override
  public synchronized void message(String text) {
    heartbeats.update(h -> h.toBuilder().setPhase(text).build());
    out.println("evaluate: " + done + "/" + total + " " + text);
    out.flush();
  }

  @Override
  public void close() {}
}

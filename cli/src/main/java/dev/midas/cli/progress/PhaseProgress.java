package dev.midas.cli.progress;

import dev.midas.stacking.progress.Progress;
import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Makes one progress bar per phase on an interactive terminal; elsewhere (CI logs, pipes, tests) a
 * single line when each phase ends, so logs stay short.
 */
public final class PhaseProgress {
  private final boolean interactive;
  private final PrintStream out;

  public PhaseProgress(boolean interactive, PrintStream out) {
    this.interactive = interactive;
    this.out = out;
  }

  /** Bars on stderr when this process has a terminal. */
  public static PhaseProgress forConsole() {
    return new PhaseProgress(System.console() != null, System.err);
  }

  public Progress start(String phase, long total) {
    if (interactive) {
      return new Bar(
          new ProgressBarBuilder()
              .setTaskName(phase)
              .setInitialMax(Math.max(total, 1))
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(250)
              .setMaxRenderedLength(100)
              .setConsumer(new ConsoleProgressBarConsumer(out))
              .build());
    }
    return new Line(phase, out);
  }

  private static final class Bar implements Progress {
    private final ProgressBar bar;

    Bar(ProgressBar bar) {
      this.bar = bar;
    }

    @Override
    public void stepTo(long done) {
      bar.stepTo(done);
    }

    @Override
    public void maxHint(long total) {
      bar.maxHint(total);
    }

    @Override
    public void message(String text) {
      bar.setExtraMessage(text);
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** Not a terminal: remembers the last note and prints one line at the end. */
  private static final class Line implements Progress {
    private final String phase;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private String note = "";
    private boolean closed;

    Line(String phase, PrintStream out) {
      this.phase = phase;
      this.out = out;
    }

    @Override
    public void stepTo(long done) {}

    @Override
    public void maxHint(long total) {}

    @Override
    public void message(String text) {
      note = text;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
      out.printf(
          "[%s] done in %.1f s%s%n",
          phase, took.toMillis() / 1000.0, note.isEmpty() ? "" : " (" + note + ")");
    }
  }
}

package dev.midas.operator.sweep;

import static dev.midas.operator.status.AttemptPhase.BACKING_OFF;
import static dev.midas.operator.status.AttemptPhase.FAILED;
import static dev.midas.operator.status.AttemptPhase.RUNNING;
import static dev.midas.operator.status.AttemptPhase.SUCCEEDED;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.api.StackingSweep;
import dev.midas.operator.api.status.SweepRow;
import dev.midas.operator.api.status.SweepStatus;
import dev.midas.operator.events.EventRecorder;
import dev.midas.operator.events.Reason;
import dev.midas.operator.launch.JobNames;
import dev.midas.operator.launch.StageJobFactory;
import dev.midas.operator.launch.StageLauncher;
import dev.midas.operator.launch.StageRun;
import dev.midas.operator.observer.JobState;
import dev.midas.operator.observer.PodExit;
import dev.midas.operator.observer.StagePods;
import dev.midas.operator.validation.ExperimentValidator;
import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.exit.RetryPolicy;
import dev.midas.plan.layout.RunLayout;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sweep's comparison report: once every child has Succeeded with its own report, one Job with the
 * stage image ({@code sweep-report}) draws them into {@code runs/<sweep>/<uid>/report/} under the
 * children's store; a failed Job is retried as the plan's exit-class table says, within the
 * template's {@code retry.limit}.
 */
final class SweepReports {

  private final StageLauncher launcher;
  private final StageJobFactory jobs;
  private final ExperimentValidator validator;
  private final EventRecorder events;

  SweepReports(
      StageLauncher launcher,
      StageJobFactory jobs,
      ExperimentValidator validator,
      EventRecorder events) {
    this.launcher = launcher;
    this.jobs = jobs;
    this.validator = validator;
    this.events = events;
  }

  /**
   * Advances the report once every child has Succeeded; the children in plan order.
   *
   * @return whether the report is still to come (the sweep is not finished)
   */
  boolean advance(
      StackingSweep sweep,
      List<SweepChild> plan,
      Map<String, StackingExperiment> children,
      SweepStatus st) {
    if (SUCCEEDED.equals(st.reportPhase) || FAILED.equals(st.reportPhase)) {
      return false;
    }
    StackingExperiment first = children.get(plan.get(0).name());
    ExperimentValidator.Validated valid = validator.validate(first);
    String ns = sweep.getMetadata().getNamespace();
    if (RUNNING.equals(st.reportPhase)) {
      Job job = launcher.get(ns, st.reportJob);
      if (job == null) {
        st.reportPhase = BACKING_OFF; // deleted: start over
        return true;
      }
      JobState state = JobState.of(job);
      if (state.phase() == JobState.Phase.Succeeded) {
        st.reportPhase = SUCCEEDED;
        st.reportFailure = null;
        events.record(sweep, Reason.SweepSucceeded, "comparison report " + st.report);
        return false;
      }
      if (state.phase() != JobState.Phase.Failed) {
        return true;
      }
      StagePods pods = StagePods.of(launcher.client(), ns, st.reportJob);
      if (pods.anyAlive()) {
        return true;
      }
      Optional<PodExit> exit = pods.lastExit();
      int code = exit.map(PodExit::exitCode).orElse(-1);
      ExitClass c =
          exit.map(PodExit::disrupted).orElse(false) ? ExitClass.PREEMPTED : ExitClass.of(code);
      st.reportFailure =
          exit.map(PodExit::message)
              .filter(m -> !m.isBlank())
              .orElse("Job " + st.reportJob + " failed");
      if (c.countsAsFailure()) {
        st.reportFailures = (st.reportFailures == null ? 0 : st.reportFailures) + 1;
      }
      int failures = st.reportFailures == null ? 0 : st.reportFailures;
      // Drawing a report takes seconds: the next attempt starts at the next look, no backoff.
      if (RetryPolicy.next(valid.spec().retry(), c, failures).isEmpty()) {
        st.reportPhase = FAILED;
        events.record(sweep, Reason.SweepFailed, "comparison report failed: " + st.reportFailure);
        return false;
      }
      st.reportPhase = BACKING_OFF;
    }
    launch(sweep, plan, children, valid, st);
    return true;
  }

  private void launch(
      StackingSweep sweep,
      List<SweepChild> plan,
      Map<String, StackingExperiment> children,
      ExperimentValidator.Validated valid,
      SweepStatus st) {
    int attempt = (st.reportAttempts == null ? 0 : st.reportAttempts) + 1;
    String name = JobNames.sweepReport(sweep.getMetadata().getName(), attempt);
    RunLayout layout = new RunLayout(sweep.getMetadata().getName(), sweep.getMetadata().getUid());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--name", layout.experiment(),
                "--uid", layout.uid(),
                "--root", valid.root(),
                "--title", "Sweep " + sweep.getMetadata().getName()));
    valid.spec().storage().endpoint().ifPresent(e -> args.addAll(List.of("--endpoint", e)));
    args.addAll(List.of("--region", valid.spec().storage().region()));
    List<String> labels = labels(plan);
    for (int i = 0; i < plan.size(); i++) {
      StackingExperiment child = children.get(plan.get(i).name());
      args.addAll(
          List.of(
              "--run",
              child.getMetadata().getName()
                  + "/"
                  + child.getMetadata().getUid()
                  + "="
                  + labels.get(i)));
    }
    StageRun run = new StageRun(name, 0, attempt, args, null, StageRun.ROLE_SWEEP_REPORT);
    launcher.create(jobs.build(sweep, valid.spec(), valid.root(), run), sweep);
    st.reportAttempts = attempt;
    st.reportJob = name;
    st.reportPhase = RUNNING;
    st.report = valid.root().replaceAll("/+$", "") + "/" + layout.reportPrefix() + "report.md";
    events.record(
        sweep,
        Reason.SweepReportStarted,
        "comparison report of "
            + plan.size()
            + " children, attempt "
            + attempt
            + " (Job "
            + name
            + ")");
  }

  /**
   * The name of each child in the report: its growth operator, with the axis values that tell it
   * apart from the others where the operator alone does not ({@code midas-b2-a0.5-s3}).
   */
  static List<String> labels(List<SweepChild> plan) {
    List<String> out = new ArrayList<>();
    for (SweepChild c : plan) {
      StringBuilder b = new StringBuilder(c.operator());
      if (plan.stream().map(SweepChild::blockSize).distinct().count() > 1) {
        b.append("-b").append(c.blockSize());
      }
      if (plan.stream().map(SweepChild::alpha).distinct().count() > 1) {
        b.append("-a").append(c.alpha());
      }
      if (plan.stream().map(SweepChild::seed).distinct().count() > 1) {
        b.append("-s").append(c.seed());
      }
      out.add(b.toString());
    }
    return out;
  }

  /** The compact table's per-child report columns, from the child's result. */
  static void fill(SweepRow r, StackingExperiment e) {
    if (e != null && e.getStatus() != null && e.getStatus().result != null) {
      r.meanAccuracy = e.getStatus().result.meanAccuracy;
      r.report = e.getStatus().result.report;
    }
  }
}

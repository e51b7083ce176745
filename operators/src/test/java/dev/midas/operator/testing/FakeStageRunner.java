package dev.midas.operator.testing;

import com.google.protobuf.util.JsonFormat;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecDocument;
import dev.midas.plan.spec.SpecLoader;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.EvalResult;
import dev.midas.proto.FileEntry;
import dev.midas.proto.GrowthRecord;
import dev.midas.proto.Heartbeat;
import dev.midas.proto.ReportManifest;
import dev.midas.proto.StageResult;
import dev.midas.proto.TrainPosition;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import dev.midas.store.artifact.ArtifactWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * A stand-in for the stage runner that keeps its whole contract but trains nothing: same arguments
 * ({@code <spec> --root <uri> --stage N [--init M | --resume M] [--lag-steps K]}), same run layout,
 * checkpoints committed manifest-last every {@code checkpointEvery} global steps, a heartbeat, a
 * stage-final and a grown checkpoint, a result object and a result JSON line, the contract's exit
 * codes, and on SIGTERM a preempted checkpoint and exit 6. Its "loss" falls with the global step
 * and depends on the growth operator (midas best), so LAG has something to choose.
 */
public final class FakeStageRunner {
  private static final Map<String, Double> PENALTY =
      Map.of(
          "midas",
          0.0,
          "gradstack",
          0.03,
          "zero",
          0.05,
          "random",
          0.08,
          "double",
          0.04,
          "map",
          0.02);

  private final ObjectStore store;
  private final ResolvedSpec spec;
  private final RunLayout layout;
  private final int stage;
  private final long stepMillis;
  private volatile long step;
  private volatile boolean finished;
  private String parent = "";

  private FakeStageRunner(ObjectStore store, ResolvedSpec spec, RunLayout layout, int stage) {
    this.store = store;
    this.spec = spec;
    this.layout = layout;
    this.stage = stage;
    this.stepMillis = Long.parseLong(System.getenv().getOrDefault("FAKE_STEP_MILLIS", "2"));
  }

  public static void main(String[] args) throws Exception {
    boolean evaluate = args.length > 0 && args[0].equals("evaluate");
    if (evaluate) {
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    Map<String, String> opts = new java.util.HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--resume-latest")) {
        opts.put(args[i], "true");
      } else if (i + 1 < args.length) {
        opts.put(args[i], args[++i]);
      }
    }
    ResolvedSpec spec;
    SpecDocument doc;
    try {
      doc = SpecLoader.load(Path.of(args[0]));
      spec = SpecValidator.resolve(doc, "experiment");
    } catch (InvalidSpecException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ObjectStore store = ObjectStores.open(opts.get("--root"), StoreOptions.from(spec.storage()));
    int stage = Integer.parseInt(opts.get("--stage"));
    FakeStageRunner runner =
        new FakeStageRunner(
            store, spec, new RunLayout(spec.name(), doc.uid().orElseThrow()), stage);
    System.exit(evaluate ? runner.evaluate() : runner.run(opts));
  }

  /**
   * The evaluation entry point's contract without measuring anything: the report of stages 1..stage
   * committed manifest-last with a headline ({@code FAKE_EXIT=name:e<stage>:code[:times]} makes it
   * exit with that code instead, before committing).
   */
  private int evaluate() throws Exception {
    int failWith = plannedExit("e" + stage);
    if (failWith != 0) {
      return failWith;
    }
    String prefix = layout.reportPrefix(stage, spec.numStages());
    ArtifactWriter w = new ArtifactWriter(store, prefix);
    w.write("report.md", ("# fake report of " + spec.name()).getBytes(StandardCharsets.UTF_8));
    long end = spec.schedule().stages().globalStart(stage) + spec.schedule().stages().steps(stage);
    EvalResult headline =
        EvalResult.newBuilder()
            .setExperiment(spec.name())
            .setMethod(spec.growth().operator())
            .setStage(stage)
            .setExitClass(dev.midas.proto.ExitClass.EXIT_CLASS_DONE)
            .setGlobalStep(end)
            .setValLoss(loss(end) + 0.1)
            .putMeanAccuracy("5shot-loglik", 0.25)
            .setReport(store.uri(prefix + "report.md").toString())
            .build();
    w.commit(ReportManifest.newBuilder().setExperiment(spec.name()).addRuns(headline));
    System.out.println(JsonFormat.printer().omittingInsignificantWhitespace().print(headline));
    return 0;
  }

  private int run(Map<String, String> opts) throws Exception {
    var sched = spec.schedule().stages();
    long start = sched.globalStart(stage);
    long end =
        opts.containsKey("--lag-steps")
            ? start + Long.parseLong(opts.get("--lag-steps"))
            : start + sched.steps(stage);
    step = start;
    if (opts.containsKey("--resume-latest") && !opts.containsKey("--lag-steps")) {
      // As the real runner: a pod its Job restarted goes on from its stage's latest checkpoint.
      latestOwnCheckpoint()
          .filter(
              uri ->
                  stepOf(uri) > (opts.containsKey("--resume") ? stepOf(opts.get("--resume")) : -1))
          .ifPresent(
              uri -> {
                opts.remove("--init");
                opts.put("--resume", uri);
              });
    }
    if (opts.containsKey("--resume")) {
      CheckpointManifest m = read(opts.get("--resume"));
      if (m == null) {
        return 7;
      }
      step = m.getPosition().getGlobalStep();
      parent = opts.get("--resume");
    } else if (opts.containsKey("--init")) {
      CheckpointManifest m = read(opts.get("--init"));
      if (m == null) {
        return 7;
      }
      parent = opts.get("--init");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::preempted));
    int failWith = plannedExit();
    long stallMillis = plannedStall();
    while (step < end) {
      Thread.sleep(stepMillis);
      if (stallMillis > 0 && step >= start + (end - start) / 2) {
        // A hang: the process runs, but neither trains nor reports.
        Thread.sleep(stallMillis);
        stallMillis = 0;
      }
      synchronized (this) {
        step++;
        if (failWith != 0 && step >= start + (end - start) / 2) {
          Runtime.getRuntime().halt(failWith);
        }
        if (step % spec.schedule().checkpointEvery() == 0 && step < end) {
          checkpoint(
              layout.checkpointPrefix(stage, step),
              CheckpointKind.CHECKPOINT_KIND_PERIODIC,
              spec.layersAt(stage),
              null);
          heartbeat(end);
        }
      }
    }
    String fin =
        checkpoint(
            layout.checkpointPrefix(stage, end),
            opts.containsKey("--lag-steps")
                ? CheckpointKind.CHECKPOINT_KIND_PERIODIC
                : CheckpointKind.CHECKPOINT_KIND_STAGE_FINAL,
            spec.layersAt(stage),
            null);
    String grown = "";
    if (!opts.containsKey("--lag-steps") && stage < spec.numStages()) {
      parent = fin;
      grown =
          checkpoint(
              layout.grownPrefix(stage),
              CheckpointKind.CHECKPOINT_KIND_GROWN,
              spec.layersAt(stage + 1),
              GrowthRecord.newBuilder()
                  .setOperator(spec.growth().operator())
                  .setBlockSize(spec.growth().blockSize())
                  .build());
    }
    heartbeat(end);
    StageResult result =
        StageResult.newBuilder()
            .setExperiment(spec.name())
            .setStage(stage)
            .setExitClass(dev.midas.proto.ExitClass.EXIT_CLASS_DONE)
            .setGlobalStep(end)
            .setStageSteps(end - start)
            .setFinalTrainLoss(loss(end))
            .setValLoss(loss(end) + 0.1)
            // A LAG probe's loss on the selection windows, which LAG chooses by.
            .setSelectionLoss(opts.containsKey("--lag-steps") ? loss(end) + 0.12 : 0)
            .setFinalManifest(fin)
            .setGrownManifest(grown)
            .build();
    String json = JsonFormat.printer().omittingInsignificantWhitespace().print(result);
    store.put(layout.resultKey(stage), json.getBytes(StandardCharsets.UTF_8));
    finished = true;
    System.out.println(json);
    return 0;
  }

  /**
   * {@code FAKE_EXIT=name:stage:code[:times],...} makes that stage (or {@code e<stage>}: that
   * evaluation) exit with that code halfway through, on its first {@code times} attempts (every
   * attempt when no count is given); the attempts are counted in the store.
   */
  private int plannedExit() throws IOException {
    return plannedExit(Integer.toString(stage));
  }

  private int plannedExit(String what) throws IOException {
    for (String entry : System.getenv().getOrDefault("FAKE_EXIT", "").split(",")) {
      String[] p = entry.split(":");
      if (p.length >= 3 && p[0].equals(spec.name()) && p[1].equals(what)) {
        if (p.length == 3) {
          return Integer.parseInt(p[2]);
        }
        String key = layout.stagePrefix(stage) + "fake-exits-" + what;
        int done = store.exists(key) ? store.get(key).length : 0;
        if (done >= Integer.parseInt(p[3])) {
          return 0;
        }
        store.put(key, new byte[done + 1]);
        return Integer.parseInt(p[2]);
      }
    }
    return 0;
  }

  /** {@code FAKE_STALL=name:stage:millis,...}: that stage hangs that long halfway through. */
  private long plannedStall() {
    for (String entry : System.getenv().getOrDefault("FAKE_STALL", "").split(",")) {
      String[] p = entry.split(":");
      if (p.length == 3 && p[0].equals(spec.name()) && Integer.parseInt(p[1]) == stage) {
        return Long.parseLong(p[2]);
      }
    }
    return 0;
  }

  /** SIGTERM: commit where training stands and exit 6, as the contract asks. */
  private synchronized void preempted() {
    if (finished) {
      return;
    }
    try {
      // FAKE_TERM_MILLIS: a slow preempted checkpoint, so the pod stays terminating a while.
      Thread.sleep(Long.parseLong(System.getenv().getOrDefault("FAKE_TERM_MILLIS", "0")));
      checkpoint(
          layout.checkpointPrefix(stage, step),
          CheckpointKind.CHECKPOINT_KIND_PREEMPTED,
          spec.layersAt(stage),
          null);
    } catch (Exception e) {
      e.printStackTrace();
    }
    Runtime.getRuntime().halt(6);
  }

  private double loss(long s) {
    double penalty = stage > 1 ? PENALTY.getOrDefault(spec.growth().operator(), 0.0) : 0.0;
    return 2.0 + 8.0 / (1.0 + s / 20.0) + penalty + spec.seed() * 0.001;
  }

  private String checkpoint(String prefix, CheckpointKind kind, int layers, GrowthRecord growth)
      throws Exception {
    byte[] params =
        ("params " + layout.uid() + " step " + step + " layers " + layers)
            .getBytes(StandardCharsets.UTF_8);
    store.put(prefix + "params.bin", params);
    CheckpointManifest.Builder m =
        CheckpointManifest.newBuilder()
            .setFormatVersion(1)
            .setKind(kind)
            .setExperiment(spec.name())
            .setUid(layout.uid())
            .setStage(stage)
            .setPosition(
                TrainPosition.newBuilder()
                    .setGlobalStep(step)
                    .setStageStep(step - spec.schedule().stages().globalStart(stage)))
            .setSeed(spec.seed())
            .setModel(spec.model().config(layers))
            .setParentManifest(parent)
            .setTrainLoss(loss(step))
            .setValLoss(loss(step) + 0.1)
            .addFiles(
                FileEntry.newBuilder()
                    .setPath("params.bin")
                    .setSize(params.length)
                    .setSha256(sha256(params)));
    if (growth != null) {
      m.setGrowth(growth);
    }
    String key = RunLayout.manifestKey(prefix);
    store.put(key, JsonFormat.printer().print(m).getBytes(StandardCharsets.UTF_8));
    return store.uri(key).toString();
  }

  private void heartbeat(long end) throws Exception {
    Heartbeat hb =
        Heartbeat.newBuilder()
            .setStage(stage)
            .setGlobalStep(step)
            .setStageStep(step - spec.schedule().stages().globalStart(stage))
            .setStageSteps(spec.schedule().stages().steps(stage))
            .setLoss(loss(step))
            .setTokensPerSecond(1000)
            .setEtaSeconds((end - step) * stepMillis / 1000.0)
            .setUpdatedAtMillis(System.currentTimeMillis())
            .build();
    store.put(
        layout.heartbeatKey(stage),
        JsonFormat.printer().print(hb).getBytes(StandardCharsets.UTF_8));
  }

  private java.util.Optional<String> latestOwnCheckpoint() throws IOException {
    return store.list(layout.checkpointsPrefix(stage)).stream()
        .filter(k -> k.endsWith("/" + RunLayout.MANIFEST))
        .max(java.util.Comparator.comparingLong(k -> RunLayout.stepOf(k).orElse(-1)))
        .map(k -> store.uri(k).toString());
  }

  private static long stepOf(String uri) {
    return RunLayout.stepOf(uri).orElse(-1);
  }

  private CheckpointManifest read(String uri) throws IOException {
    String root = store.root().toString().replaceAll("/+$", "") + "/";
    if (!uri.startsWith(root) || !store.exists(uri.substring(root.length()))) {
      System.err.println("no manifest at " + uri);
      return null;
    }
    CheckpointManifest.Builder b = CheckpointManifest.newBuilder();
    JsonFormat.parser()
        .ignoringUnknownFields()
        .merge(new String(store.get(uri.substring(root.length())), StandardCharsets.UTF_8), b);
    return b.build();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}

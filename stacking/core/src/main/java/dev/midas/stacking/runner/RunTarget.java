package dev.midas.stacking.runner;

import dev.midas.plan.exit.ExitClass;
import dev.midas.plan.layout.RunLayout;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecDocument;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.stacking.model.PyTorchRuntime;
import dev.midas.store.ObjectStore;
import dev.midas.store.ObjectStores;
import dev.midas.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every pod-contract entry point (a stage, a run's evaluation) shares: which run of
 * which spec, in which store, with how many threads, and where the termination message goes; and
 * the one way of resolving them.
 */
final class RunTarget {
  @Option(names = "--spec", description = "Spec file, or file:// / s3:// URI.")
  String spec;

  @CommandLine.Parameters(
      index = "0",
      arity = "0..1",
      description = "The spec, as a positional argument (the operator's form).")
  String specArgument;

  @Option(names = "--root", description = "Object-store root (default: the spec's storage.root).")
  String root;

  @Option(names = "--uid", description = "Run uid (default: metadata.uid, else 'local').")
  String uid;

  @Option(names = "--name", description = "Experiment name (default: metadata.name or file name).")
  String name;

  @Option(names = "--threads", description = "PyTorch intra-op threads (default: all cores).")
  int threads = PyTorchRuntime.defaultThreads();

  @Option(
      names = "--termination-log",
      description = "Termination message file (default /dev/termination-log, when writable).")
  Path terminationLog = Path.of("/dev/termination-log");

  /** The run the options name, its resolved spec, and its store (the caller closes it). */
  record Resolved(ResolvedSpec spec, RunLayout layout, ObjectStore store) {}

  Resolved resolve() throws IOException {
    if ((spec == null) == (specArgument == null)) {
      throw new StageException(
          ExitClass.BAD_SPEC, "give the spec once: --spec <file or URI> or <file>");
    }
    String location = spec != null ? spec : specArgument;
    SpecDocument doc = SpecSource.load(location, StoreOptions.DEFAULTS);
    ResolvedSpec resolved =
        SpecValidator.resolve(
            name != null ? name : doc.name().orElse(SpecSource.nameFromLocation(location)),
            doc.spec());
    String runUid = uid != null ? uid : doc.uid().orElse("local");
    String rootText =
        root != null
            ? root
            : resolved
                .storage()
                .root()
                .orElseThrow(
                    () ->
                        new StageException(
                            ExitClass.BAD_SPEC,
                            "no object-store root: pass --root or set storage.root"));
    ObjectStore store = ObjectStores.open(rootText, StoreOptions.from(resolved.storage()));
    return new Resolved(resolved, new RunLayout(resolved.name(), runUid), store);
  }
}

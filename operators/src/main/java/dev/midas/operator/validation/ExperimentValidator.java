package dev.midas.operator.validation;

import dev.midas.operator.api.StackingExperiment;
import dev.midas.operator.config.OperatorConfig;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.InvalidSpecException;
import dev.midas.plan.spec.ResolvedSpec;
import dev.midas.plan.spec.SpecValidator;
import dev.midas.plan.spec.StorageSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validates an experiment before anything is launched: every rule of the stage plan's {@link
 * SpecValidator} (the same the stage runner applies, so a spec the operator accepts never fails as
 * a bad spec in a pod), plus what only the operator can tell: a storage root to use. It reads no
 * Secret: a missing credentials Secret keeps the stage pod from starting
 * (CreateContainerConfigError), which the experiment's Stalled condition reports.
 */
public class ExperimentValidator {
  private final OperatorConfig config;

  public ExperimentValidator(OperatorConfig config) {
    this.config = config;
  }

  /**
   * A valid experiment: its resolved spec, the object-store root its run lives under, and the spec
   * stage pods get (the user's, with the operator's default storage filled in).
   */
  public record Validated(ResolvedSpec spec, String root, ExperimentSpec frozen) {}

  /**
   * @throws InvalidSpecException listing every problem, in the user's terms
   */
  public Validated validate(StackingExperiment exp) {
    ExperimentSpec frozen = withDefaultStorage(exp.getSpec());
    ResolvedSpec spec = SpecValidator.resolve(exp.getMetadata().getName(), frozen);
    List<String> problems = new ArrayList<>();
    Optional<String> root = spec.storage().root();
    if (root.isEmpty()) {
      problems.add(
          "storage.root is required: this operator has no default root (MIDAS_DEFAULT_STORAGE_ROOT)");
    }
    if (root.isPresent() && !config.isDefaultStore(root.get(), spec.storage())) {
      if (root.get().startsWith("file:")) {
        problems.add(
            "storage.root "
                + root.get()
                + " is a folder on the operator's machine, which experiments may not name: give an"
                + " s3:// store with storage.secretRef, or leave storage.root out for the"
                + " operator's store");
      } else if (spec.storage().secretRef().isEmpty()) {
        problems.add(
            "storage.root "
                + root.get()
                + " names a store of your own, so storage.secretRef is required: the operator"
                + " reads that store only with the experiment's credentials, never its own");
      }
    }
    AllowList.check(config, spec.resources(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    return new Validated(spec, root.get(), frozen);
  }

  /** The operator's default root (and its endpoint) for a spec that names no root. */
  private ExperimentSpec withDefaultStorage(ExperimentSpec user) {
    if (user == null || (user.storage != null && user.storage.root != null)) {
      return user;
    }
    if (config.defaultStorageRoot().isEmpty()) {
      return user;
    }
    ExperimentSpec spec = Serialization.clone(user);
    if (spec.storage == null) {
      spec.storage = new StorageSpec();
    }
    spec.storage.root = config.defaultStorageRoot().get();
    if (spec.storage.endpoint == null && config.defaultStorageEndpoint().isPresent()) {
      spec.storage.endpoint = config.defaultStorageEndpoint().get();
      spec.storage.pathStyle = true;
    }
    return spec;
  }
}

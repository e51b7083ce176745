package dev.midas.stacking.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.midas.checkpoint.CheckpointMeta;
import dev.midas.checkpoint.NamedTensors;
import dev.midas.checkpoint.Tensor;
import dev.midas.plan.spec.Precision;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.ModelConfig;
import dev.midas.stacking.model.LoopedModels;
import dev.midas.stacking.trained.RunTokenizer;
import dev.midas.stacking.trained.TrainedCheckpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a checkpoint as a Hugging Face model folder: {@code config.json} (the architecture's
 * fields plus {@code midas_source}: the checkpoint's manifest URI and SHA-256 and its lineage),
 * {@code model.safetensors} (fp32), {@code generation_config.json}, and the run's {@code
 * tokenizer.json} with a {@code tokenizer_config.json} that adds no special tokens, so ids are
 * exactly the ones the run trained on. The folder is written beside the target under a hidden name
 * and renamed into place at the end: a target folder exists only whole.
 */
public final class HfExport {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String GENERATION_CONFIG = "generation_config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What was written. */
  public record Result(Path folder, String architecture, long parameters, List<String> files) {}

  private HfExport() {}

  /**
   * @throws UnsupportedArchitectureException when no architecture computes this model exactly
   * @throws IllegalArgumentException when {@code target} exists and is not an empty folder
   */
  public static Result write(TrainedCheckpoint checkpoint, Path target) throws IOException {
    // A looped model is written out unrolled: the same function, every layer stored.
    ModelConfig c = LoopedModels.unrolledConfig(checkpoint.model());
    HfArchitecture arch =
        HfArchitectures.forConfig(LoopedModels.unrolledConfig(checkpoint.manifest().getModel()));
    NamedTensors state =
        arch.tensors(c, LoopedModels.unroll(checkpoint.model(), checkpoint.params()));
    Path folder = target.toAbsolutePath().normalize();
    requireFree(folder);
    Path parent = folder.getParent();
    Files.createDirectories(parent);
    Path partial = parent.resolve("." + folder.getFileName() + ".partial-" + UUID.randomUUID());
    Files.createDirectory(partial);
    try {
      List<String> files = new ArrayList<>();
      Integer eos = checkpoint.tokenizer().map(RunTokenizer::eosId).orElse(null);
      try (OutputStream out =
          new BufferedOutputStream(Files.newOutputStream(partial.resolve(WEIGHTS)))) {
        SafetensorsFile.write(state, out);
      }
      files.add(WEIGHTS);
      Map<String, Object> config = arch.config(c, eos);
      config.put("midas_source", source(checkpoint));
      writeJson(partial.resolve(CONFIG), config);
      files.add(CONFIG);
      writeJson(partial.resolve(GENERATION_CONFIG), generationConfig(c, eos));
      files.add(GENERATION_CONFIG);
      if (checkpoint.tokenizer().isPresent()) {
        RunTokenizer t = checkpoint.tokenizer().get();
        Files.write(partial.resolve(TOKENIZER), t.tokenizerJson());
        files.add(TOKENIZER);
        writeJson(partial.resolve(TOKENIZER_CONFIG), tokenizerConfig(c, t));
        files.add(TOKENIZER_CONFIG);
      }
      Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
      long parameters = 0;
      for (Tensor t : state.asMap().values()) {
        parameters += t.size();
      }
      return new Result(folder, arch.className(), parameters, files);
    } finally {
      deleteTree(partial);
    }
  }

  private static void requireFree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          folder + " exists and is not a folder; export into a new folder");
    }
    try (DirectoryStream<Path> d = Files.newDirectoryStream(folder)) {
      if (d.iterator().hasNext()) {
        throw new IllegalArgumentException(
            folder
                + " exists and is not empty; export into a new folder (nothing was overwritten)");
      }
    }
  }

  private static Map<String, Object> source(TrainedCheckpoint checkpoint) {
    CheckpointManifest m = checkpoint.manifest();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("manifest", checkpoint.location().manifest().toString());
    s.put("manifest_sha256", checkpoint.manifestSha256());
    s.put("experiment", m.getExperiment());
    s.put("uid", m.getUid());
    s.put("stage", m.getStage());
    s.put("kind", m.getKind().name().replace("CHECKPOINT_KIND_", "").toLowerCase(Locale.ROOT));
    s.put("global_step", m.getPosition().getGlobalStep());
    s.put("tokens_seen", m.getPosition().getTokensSeen());
    s.put("n_layers", m.getModel().getNLayers());
    // The weights are float32 masters whatever the precision; this says how they were trained.
    s.put("training_precision", Precision.ofManifest(m.getPrecision()).word());
    if (m.hasGrowth()) {
      s.put("growth_operator", m.getGrowth().getOperator());
    }
    s.put("dataset", checkpoint.tokenizer().map(RunTokenizer::datasetManifest).orElse(null));
    s.put("tokenizer_sha256", checkpoint.tokenizer().map(RunTokenizer::sha256).orElse(null));
    s.put("code_version", m.getCodeVersion());
    s.put("exported_by", "midas " + CheckpointMeta.currentCodeVersion());
    return s;
  }

  private static Map<String, Object> generationConfig(ModelConfig c, Integer eos) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("bos_token_id", eos);
    g.put("eos_token_id", eos);
    g.put("max_length", c.getSeqLen());
    g.put("do_sample", false);
    return g;
  }

  /**
   * A fast tokenizer over the run's tokenizer.json that adds nothing: no BOS, no EOS, no cleanup.
   */
  private static Map<String, Object> tokenizerConfig(ModelConfig c, RunTokenizer t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokenizer_class", "PreTrainedTokenizerFast");
    m.put("bos_token", t.eosToken());
    m.put("eos_token", t.eosToken());
    m.put("add_bos_token", false);
    m.put("add_eos_token", false);
    m.put("clean_up_tokenization_spaces", false);
    m.put("model_max_length", c.getSeqLen());
    return m;
  }

  private static void writeJson(Path file, Object value) throws IOException {
    JSON.writeValue(file.toFile(), value);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package dev.midas.stacking.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midas.proto.TaskScore;
import dev.midas.stacking.analysis.LayerLinearity;
import dev.midas.stacking.analysis.SimilarityMatrix;
import dev.midas.stacking.results.CheckpointEval;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.stacking.results.TextSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code results.json}: every measured number of a demo, unrounded, for scripts and tests. */
final class ResultsJson {
  static final String FILE = "results.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultsJson() {}

  static Path write(DemoResults r, Path dir) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("title", r.title());
    ArrayNode setup = root.putArray("setup");
    r.setup().forEach(setup::add);
    ArrayNode runs = root.putArray("runs");
    for (MethodRun run : r.runs()) {
      ObjectNode n = runs.addObject();
      n.put("method", run.method());
      n.put("experiment", run.experiment());
      n.put("uid", run.uid());
      n.put("flops", run.flops());
      n.put("wallSeconds", run.wallSeconds());
      n.put("flopsSpeedup", r.flopsSpeedup(run));
      n.put("wallSpeedup", r.wallSpeedup(run));
      ArrayNode cps = n.putArray("checkpoints");
      for (CheckpointEval c : run.checkpoints()) {
        ObjectNode cn = cps.addObject();
        cn.put("stage", c.stage());
        cn.put("globalStep", c.globalStep());
        cn.put("flops", c.flops());
        cn.put("wallSeconds", c.wallSeconds());
        cn.put("valLoss", c.valLoss());
        scores(cn.putArray("fewShot"), c.fewShot());
      }
      scores(n.putArray("finetune"), run.finetune());
      ArrayNode samples = n.putArray("samples");
      for (TextSample s : run.samples()) {
        samples
            .addObject()
            .put("prompt", s.prompt())
            .put("continuation", s.continuation())
            .put("endOfText", s.endOfText());
      }
      ModelAnalysis a = r.analyses().get(run.method());
      if (a != null) {
        ObjectNode an = n.putObject("analysis");
        ObjectNode block = an.putObject("blockSimilarity");
        a.blockSimilarity().forEach((g, m) -> matrix(block.putObject(g), m));
        a.functional().ifPresent(m -> matrix(an.putObject("functional"), m));
        ArrayNode lin = an.putArray("linearity");
        for (LayerLinearity.Score s : a.linearity()) {
          lin.addObject().put("r2", s.r2()).put("meanCosine", s.meanCosine());
        }
      }
    }
    Path file = dir.resolve(FILE);
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    return file;
  }

  private static void scores(ArrayNode into, List<TaskScore> scores) {
    for (TaskScore s : scores) {
      into.addObject()
          .put("task", s.getTask())
          .put("protocol", s.getProtocol())
          .put("accuracy", s.getAccuracy())
          .put("std", s.getStd())
          .put("n", s.getN())
          .put("seeds", s.getSeeds());
    }
  }

  private static void matrix(ObjectNode into, SimilarityMatrix m) {
    ArrayNode labels = into.putArray("labels");
    m.labels().forEach(labels::add);
    ArrayNode rows = into.putArray("values");
    for (double[] row : m.values()) {
      ArrayNode r = rows.addArray();
      for (double v : row) {
        r.add(v);
      }
    }
  }
}

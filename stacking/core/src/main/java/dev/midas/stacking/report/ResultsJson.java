package dev.midas.stacking.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import dev.midas.proto.TaskScore;
import dev.midas.stacking.analysis.LayerLinearity;
import dev.midas.stacking.analysis.SimilarityMatrix;
import dev.midas.stacking.results.CheckpointEval;
import dev.midas.stacking.results.DemoResults;
import dev.midas.stacking.results.LagCurve;
import dev.midas.stacking.results.MethodRun;
import dev.midas.stacking.results.ModelAnalysis;
import dev.midas.stacking.results.TextSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code results.json}: every measured number of a report, unrounded, for scripts and tests, and
 * what a sweep's report is drawn from: {@link #read} gives back what {@link #write} wrote.
 */
public final class ResultsJson {
  public static final String FILE = "results.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultsJson() {}

  public static Path write(DemoResults r, Path dir) throws IOException {
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
      number(n, "loopSeconds", run.loopSeconds());
      number(n, "flopsSpeedup", r.flopsSpeedup(run));
      number(n, "wallSpeedup", r.wallSpeedup(run));
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
        a.lag().ifPresent(c -> lag(an.putObject("lag"), c));
      }
    }
    Path file = dir.resolve(FILE);
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    return file;
  }

  /** Reads a {@code results.json} back; {@code source} names it in errors. */
  public static DemoResults read(byte[] json, String source) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IOException(source + " is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("runs").isArray()) {
      throw new IOException(source + " holds no runs");
    }
    List<String> setup = new ArrayList<>();
    root.path("setup").forEach(n -> setup.add(n.asText()));
    List<MethodRun> runs = new ArrayList<>();
    Map<String, ModelAnalysis> analyses = new LinkedHashMap<>();
    for (JsonNode n : root.path("runs")) {
      String method = n.path("method").asText();
      List<CheckpointEval> checkpoints = new ArrayList<>();
      for (JsonNode c : n.path("checkpoints")) {
        checkpoints.add(
            new CheckpointEval(
                c.path("stage").asInt(),
                c.path("globalStep").asLong(),
                c.path("flops").asDouble(),
                c.path("wallSeconds").asDouble(),
                c.path("valLoss").asDouble(),
                scores(c.path("fewShot"))));
      }
      runs.add(
          new MethodRun(
              method,
              n.path("experiment").asText(),
              n.path("uid").asText(),
              checkpoints,
              n.path("flops").asDouble(),
              n.path("wallSeconds").asDouble(),
              number(n.path("loopSeconds")),
              scores(n.path("finetune")),
              samples(n.path("samples"))));
      JsonNode a = n.path("analysis");
      if (a.isObject()) {
        Map<String, SimilarityMatrix> blocks = new LinkedHashMap<>();
        a.path("blockSimilarity")
            .fields()
            .forEachRemaining(e -> blocks.put(e.getKey(), matrix(e.getKey(), e.getValue())));
        Optional<SimilarityMatrix> functional =
            a.has("functional")
                ? Optional.of(matrix("functional", a.path("functional")))
                : Optional.empty();
        List<LayerLinearity.Score> linearity = new ArrayList<>();
        a.path("linearity")
            .forEach(
                l ->
                    linearity.add(
                        new LayerLinearity.Score(
                            l.path("r2").asDouble(), l.path("meanCosine").asDouble())));
        ModelAnalysis analysis = new ModelAnalysis(method, blocks, functional, linearity);
        analyses.put(method, a.has("lag") ? analysis.withLag(lag(a.path("lag"))) : analysis);
      }
    }
    return new DemoResults(root.path("title").asText(), setup, runs, analyses);
  }

  /** JSON has no NaN: a figure that does not exist (no baseline, no time measured) is null. */
  private static void number(ObjectNode n, String field, double value) {
    if (Double.isNaN(value)) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }

  /** A {@link #number}: NaN where null, absent, or an older report's "NaN" string. */
  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static void lag(ObjectNode n, LagCurve c) {
    n.put("stage", c.stage()).put("lagSteps", c.lagSteps());
    ArrayNode candidates = n.putArray("candidates");
    c.candidates().forEach(candidates::add);
    ArrayNode taus = n.putArray("taus");
    for (long t : c.taus()) {
      taus.add(t);
    }
    ArrayNode loss = n.putArray("loss");
    for (double[] row : c.loss()) {
      ArrayNode r = loss.addArray();
      for (double v : row) {
        r.add(v);
      }
    }
    ArrayNode rho = n.putArray("spearman");
    for (double v : c.spearman()) {
      rho.add(v);
    }
  }

  private static LagCurve lag(JsonNode n) {
    List<String> candidates = new ArrayList<>();
    n.path("candidates").forEach(c -> candidates.add(c.asText()));
    long[] taus = new long[n.path("taus").size()];
    for (int i = 0; i < taus.length; i++) {
      taus[i] = n.path("taus").get(i).asLong();
    }
    double[][] loss = new double[n.path("loss").size()][];
    for (int c = 0; c < loss.length; c++) {
      JsonNode row = n.path("loss").get(c);
      loss[c] = new double[row.size()];
      for (int t = 0; t < row.size(); t++) {
        loss[c][t] = row.get(t).asDouble();
      }
    }
    double[] rho = new double[n.path("spearman").size()];
    for (int t = 0; t < rho.length; t++) {
      rho[t] = n.path("spearman").get(t).asDouble(Double.NaN);
    }
    return new LagCurve(
        n.path("stage").asInt(), n.path("lagSteps").asLong(), candidates, taus, loss, rho);
  }

  private static List<TaskScore> scores(JsonNode array) throws IOException {
    List<TaskScore> out = new ArrayList<>();
    for (JsonNode s : array) {
      TaskScore.Builder b = TaskScore.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(s.toString(), b);
      out.add(b.build());
    }
    return out;
  }

  private static List<TextSample> samples(JsonNode array) {
    List<TextSample> out = new ArrayList<>();
    for (JsonNode s : array) {
      out.add(
          new TextSample(
              s.path("prompt").asText(),
              s.path("continuation").asText(),
              s.path("endOfText").asBoolean()));
    }
    return out;
  }

  private static SimilarityMatrix matrix(String fallbackName, JsonNode m) {
    String name = m.path("name").asText(fallbackName);
    List<String> labels = new ArrayList<>();
    m.path("labels").forEach(l -> labels.add(l.asText()));
    JsonNode rows = m.path("values");
    double[][] values = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      values[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        values[i][j] = row.get(j).asDouble();
      }
    }
    return new SimilarityMatrix(name, labels, values);
  }

  /**
   * Every field of every score, as proto3 JSON (so a reader gets back exactly what was measured).
   */
  private static void scores(ArrayNode into, List<TaskScore> scores) throws IOException {
    for (TaskScore s : scores) {
      into.add(MAPPER.readTree(JsonFormat.printer().print(s)));
    }
  }

  private static void matrix(ObjectNode into, SimilarityMatrix m) {
    into.put("name", m.name());
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

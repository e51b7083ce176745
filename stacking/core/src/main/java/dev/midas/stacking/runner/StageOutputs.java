package dev.midas.stacking.runner;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.midas.proto.EvalResult;
import dev.midas.proto.StageResult;
import dev.midas.store.ObjectStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a stage's {@link StageResult} (or an evaluation's {@code EvalResult}) goes: one JSON line
 * on stdout (the local runner reads it), the pod's termination message file when it is writable,
 * and {@code result.json} in the store. Each is best effort: a failure to report must not hide the
 * failure being reported.
 */
final class StageOutputs {
  private static final Logger LOG = LoggerFactory.getLogger(StageOutputs.class);

  /** Kubernetes reads at most 4096 bytes of a termination message. */
  static final int TERMINATION_LIMIT = 4096;

  private StageOutputs() {}

  static String json(Message r) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(r);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a result line written by {@link #report}. */
  static StageResult parse(String line) throws InvalidProtocolBufferException {
    StageResult.Builder b = StageResult.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(line, b);
    return b.build();
  }

  /** Parses an evaluation's result line. */
  static EvalResult parseEval(String line) throws InvalidProtocolBufferException {
    EvalResult.Builder b = EvalResult.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(line, b);
    return b.build();
  }

  static void report(
      Message r, PrintStream stdout, Path terminationLog, ObjectStore store, String resultKey) {
    String line = json(r);
    stdout.println(line);
    stdout.flush();
    if (terminationLog != null && isWritable(terminationLog)) {
      try {
        Files.writeString(terminationLog, truncate(r), StandardCharsets.UTF_8);
      } catch (IOException e) {
        LOG.warn("cannot write termination message {}: {}", terminationLog, e.toString());
      }
    }
    if (store != null && resultKey != null) {
      try {
        store.put(resultKey, line.getBytes(StandardCharsets.UTF_8));
      } catch (Exception e) {
        LOG.warn("cannot write {}: {}", resultKey, e.toString());
      }
    }
  }

  private static boolean isWritable(Path p) {
    return Files.exists(p)
        ? Files.isWritable(p)
        : p.getParent() != null && Files.isWritable(p.getParent());
  }

  /** The result, with its message shortened until the JSON fits the termination limit. */
  private static String truncate(Message r) {
    FieldDescriptor field = r.getDescriptorForType().findFieldByName("message");
    Message shorter = r;
    String line = json(shorter);
    while (line.getBytes(StandardCharsets.UTF_8).length > TERMINATION_LIMIT) {
      String m = (String) shorter.getField(field);
      if (m.length() <= 16) {
        return json(shorter.toBuilder().clearField(field).build());
      }
      shorter = shorter.toBuilder().setField(field, m.substring(0, m.length() / 2) + "...").build();
      line = json(shorter);
    }
    return line;
  }
}

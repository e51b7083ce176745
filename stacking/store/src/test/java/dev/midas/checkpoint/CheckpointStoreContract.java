package dev.midas.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midas.plan.layout.RunLayout;
import dev.midas.proto.CheckpointKind;
import dev.midas.proto.CheckpointManifest;
import dev.midas.proto.GrowthRecord;
import dev.midas.run.CommittedCheckpoint;
import dev.midas.run.RunReader;
import dev.midas.store.ObjectStore;
import dev.midas.store.artifact.CorruptArtifactException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Checkpoint behaviour every store must give; run on file:// and on S3Proxy. */
abstract class CheckpointStoreContract {
  static final RunLayout RUN = new RunLayout("tiny", "u-1");

  abstract ObjectStore store() throws Exception;

  /** Equal bit for bit, NaN payloads and signed zeros included (Tensor.equals is not). */
  static void assertBitExact(NamedTensors actual, NamedTensors expected) {
    assertThat(actual.names()).containsExactlyElementsOf(expected.names());
    for (String n : expected.names()) {
      assertThat(actual.get(n).shape()).as(n).isEqualTo(expected.get(n).shape());
      float[] a = actual.get(n).data();
      float[] e = expected.get(n).data();
      assertThat(a.length).isEqualTo(e.length);
      for (int i = 0; i < e.length; i++) {
        assertThat(Float.floatToRawIntBits(a[i]))
            .as("%s[%d]", n, i)
            .isEqualTo(Float.floatToRawIntBits(e[i]));
      }
    }
  }

  @Test
  void savedStateLoadsBackBitExact() throws Exception {
    CheckpointStore ckpts = new CheckpointStore(store());
    TrainState state = TrainStates.random(1, 2, 120, 20);
    float[] q = state.params().get("layers.0.attn.q.weight").data();
    q[0] = Float.intBitsToFloat(0x7fc0_1234); // NaN with a payload
    q[1] = -0.0f;
    q[2] = Float.MIN_VALUE; // subnormal
    q[3] = Float.NEGATIVE_INFINITY;

    URI manifest =
        ckpts.save(
            RUN,
            2,
            CheckpointKind.CHECKPOINT_KIND_PERIODIC,
            state,
            CheckpointMeta.of(7)
                .withParent("file:///elsewhere/MANIFEST")
                .withLosses(2.5, Double.NaN));
    TrainState back = ckpts.load(manifest);

    assertBitExact(back.params(), state.params());
    assertBitExact(back.adamM(), state.adamM());
    assertBitExact(back.adamV(), state.adamV());
    assertThat(back.position()).isEqualTo(state.position());
    assertThat(back.model()).isEqualTo(state.model());
    CheckpointManifest m = ckpts.manifest(manifest);
    assertThat(m.getStage()).isEqualTo(2);
    assertThat(m.getSeed()).isEqualTo(7);
    assertThat(m.getParentManifest()).isEqualTo("file:///elsewhere/MANIFEST");
    assertThat(m.getTrainLoss()).isEqualTo(2.5);
    assertThat(m.getValLoss()).isNaN();
    assertThat(m.getTensorsList()).hasSize(3 * state.params().size());
    assertThat(manifest.toString()).endsWith("stages/stage-02/ckpt/step-000000120/MANIFEST");
  }

  @Test
  void grownCheckpointGoesToTheProducingStageAndNamesTheConsumingStage() throws Exception {
    CheckpointStore ckpts = new CheckpointStore(store());
    GrowthRecord growth =
        GrowthRecord.newBuilder()
            .setOperator("midas")
            .setBlockSize(1)
            .addLayerMap(0)
            .addLayerMap(0)
            .build();

    URI manifest =
        ckpts.save(
            RUN,
            1,
            CheckpointKind.CHECKPOINT_KIND_GROWN,
            TrainStates.random(2, 2, 10, 0),
            CheckpointMeta.of(7).withGrowth(growth));

    assertThat(manifest.toString()).endsWith("stages/stage-01/grown/MANIFEST");
    assertThat(new RunReader(ckpts.objectStore()).grown(RUN, 1)).contains(manifest);
    assertThat(ckpts.manifest(manifest).getStage()).isEqualTo(2);
    assertThat(ckpts.manifest(manifest).getGrowth()).isEqualTo(growth);
  }

  @Test
  void latestIsTheHighestStepOfTheStage() throws Exception {
    CheckpointStore ckpts = new CheckpointStore(store());
    RunReader runs = new RunReader(ckpts.objectStore());
    assertThat(runs.latest(RUN, 1)).isEmpty();
    for (long step : new long[] {5, 100, 20}) {
      ckpts.save(
          RUN,
          1,
          CheckpointKind.CHECKPOINT_KIND_PERIODIC,
          TrainStates.random(step, 1, step, step),
          CheckpointMeta.of(1));
    }

    assertThat(runs.latest(RUN, 1).orElseThrow().toString())
        .endsWith("stage-01/ckpt/step-000000100/MANIFEST");
    assertThat(runs.checkpoints(RUN, 1))
        .extracting(CommittedCheckpoint::globalStep)
        .containsExactly(5L, 20L, 100L);
  }

  private static URI saveAtStepFour(CheckpointStore ckpts) throws Exception {
    return ckpts.save(
        RUN,
        1,
        CheckpointKind.CHECKPOINT_KIND_PERIODIC,
        TrainStates.random(3, 1, 4, 4),
        CheckpointMeta.of(1));
  }

  @Test
  void truncatedTensorFileIsRefusedNamingIt() throws Exception {
    ObjectStore s = store();
    CheckpointStore ckpts = new CheckpointStore(s);
    URI manifest = saveAtStepFour(ckpts);
    String params = RUN.checkpointPrefix(1, 4) + "adam_m.bin";
    byte[] bytes = s.get(params);
    s.put(params, java.util.Arrays.copyOf(bytes, bytes.length - 4));

    assertThatThrownBy(() -> ckpts.load(manifest))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("adam_m.bin is truncated");
  }

  @Test
  void weightsLoadWithoutReadingTheOptimizerMomentsButStillVerified() throws Exception {
    ObjectStore s = store();
    CheckpointStore ckpts = new CheckpointStore(s);
    URI manifest = saveAtStepFour(ckpts);
    TrainState whole = ckpts.load(manifest);
    String moments = RUN.checkpointPrefix(1, 4) + "adam_v.bin";
    s.put(moments, new byte[] {1, 2, 3}); // unread, so it cannot fail the load

    TrainState weights = ckpts.loadWeights(manifest);

    assertBitExact(weights.params(), whole.params());
    assertThat(weights.adamM().names()).isEmpty();
    assertThat(weights.adamV().names()).isEmpty();
    assertThat(weights.position()).isEqualTo(whole.position());
    assertThat(weights.model()).isEqualTo(whole.model());
    String params = RUN.checkpointPrefix(1, 4) + "params.bin";
    byte[] bytes = s.get(params);
    bytes[bytes.length / 2] ^= 0x10;
    s.put(params, bytes);
    assertThatThrownBy(() -> ckpts.loadWeights(manifest))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("params.bin is corrupt: SHA-256");
  }

  @Test
  void corruptedTensorFileIsRefusedNamingIt() throws Exception {
    ObjectStore s = store();
    CheckpointStore ckpts = new CheckpointStore(s);
    URI manifest = saveAtStepFour(ckpts);
    String params = RUN.checkpointPrefix(1, 4) + "params.bin";
    byte[] bytes = s.get(params);
    bytes[bytes.length / 2] ^= 0x10;
    s.put(params, bytes);

    assertThatThrownBy(() -> ckpts.load(manifest))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("params.bin is corrupt: SHA-256");
  }

  @Test
  void checkpointWithoutManifestDoesNotExist() throws Exception {
    ObjectStore s = store();
    CheckpointStore ckpts = new CheckpointStore(s);
    URI manifest = saveAtStepFour(ckpts);
    s.delete(RunLayout.manifestKey(RUN.checkpointPrefix(1, 4)));

    assertThat(new RunReader(s).latest(RUN, 1)).isEmpty();
    assertThatThrownBy(() -> ckpts.load(manifest))
        .isInstanceOf(CorruptArtifactException.class)
        .hasMessageContaining("never committed");
  }
}

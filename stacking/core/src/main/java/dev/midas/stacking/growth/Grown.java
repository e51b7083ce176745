package dev.midas.stacking.growth;

import dev.midas.checkpoint.TrainState;
import dev.midas.proto.GrowthRecord;

/** A grown train state and the record of how it was made (for the checkpoint manifest). */
public record Grown(TrainState state, GrowthRecord record) {}

package dev.midas.checkpoint;

import dev.midas.proto.ModelConfig;
import dev.midas.proto.TrainPosition;

/**
 * Everything needed to resume training bit for bit: parameters by name, AdamW first and second
 * moments by the same names (empty when fresh), and the position (steps, tokens, data cursor, RNG).
 * Written to and read from the object store by the checkpoint store; transformed by growth
 * operators.
 */
public record TrainState(
    ModelConfig model,
    NamedTensors params,
    NamedTensors adamM,
    NamedTensors adamV,
    TrainPosition position) {}

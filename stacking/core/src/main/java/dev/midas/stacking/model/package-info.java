/**
 * The decoder-only transformer on DJL's PyTorch engine ({@link
 * dev.midas.stacking.model.TransformerLM}), its stable parameter names ({@link
 * dev.midas.stacking.model.ParameterLayout}), seeded pure-Java initialisation ({@link
 * dev.midas.stacking.model.ParameterInit}) and the engine's thread and grad-mode switches ({@link
 * dev.midas.stacking.model.PyTorchRuntime}).
 */
package dev.midas.stacking.model;

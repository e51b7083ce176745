/**
 * Growth operators of MIDAS.md section 2 as pure functions on engine-free train states: {@link
 * dev.midas.stacking.growth.Growth#grow} maps a {@link dev.midas.checkpoint.TrainState} to the next
 * stage's init and a {@link dev.midas.proto.GrowthRecord} for the manifest.
 */
package dev.midas.stacking.growth;

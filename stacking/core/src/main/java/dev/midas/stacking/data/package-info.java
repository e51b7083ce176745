/**
 * Training data: packed token windows ({@link dev.midas.stacking.data.TokenDataset}), the
 * pipelines' TFRecord shards read through the object store, the seeded data order and background
 * prefetch.
 */
package dev.midas.stacking.data;

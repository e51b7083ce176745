package dev.midas.run;

import java.net.URI;

/**
 * A committed checkpoint of a run (its MANIFEST exists): the stage that wrote it, the global step
 * it holds, and its MANIFEST's URI.
 */
public record CommittedCheckpoint(int stage, long globalStep, URI manifest) {}

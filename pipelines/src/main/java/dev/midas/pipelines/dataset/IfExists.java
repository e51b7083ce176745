package dev.midas.pipelines.dataset;

/** What a run does when its dataset version is already committed. */
public enum IfExists {
  /** Run, then keep the existing dataset if this run reproduced it exactly, else refuse. */
  VERIFY,
  /** Refuse before running. */
  FAIL
}

package dev.midas.operator.observer;

/**
 * How a finished stage pod exited: its exit code (the stage pod contract's failure class), its
 * termination message (the stage's JSON result), and whether Kubernetes disrupted it (a {@code
 * DisruptionTarget} condition: preemption by a higher priority, a drain, an eviction, a taint).
 */
public record PodExit(int exitCode, String message, boolean disrupted) {}

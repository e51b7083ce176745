package dev.midas.operator.sweep;

import dev.midas.operator.api.SweepAxes;
import dev.midas.operator.api.SweepSpec;
import dev.midas.operator.launch.JobNames;
import dev.midas.plan.spec.AllowedValues;
import dev.midas.plan.spec.ExperimentSpec;
import dev.midas.plan.spec.GrowthSpec;
import dev.midas.plan.spec.ScheduleSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Expands a sweep into its children, in a fixed order (block size, alpha, seed, then operator
 * innermost), each named by a hash of its axis values, and decides which children share their first
 * stage. Stage 1 trains {@code b} layers for {@code T_1} steps from the seed's random init; the
 * growth operator only acts after it. So children that differ only in the operator (among those
 * that grow by one block per stage) have the same stage 1: the first of them trains it and the
 * others take its stage-final checkpoint.
 */
public final class SweepPlanner {
  /** Operators whose stage schedule is the standard one (baseline and double change the stages). */
  private static final List<String> SHAREABLE =
      List.of(
          AllowedValues.MIDAS,
          AllowedValues.GRADSTACK,
          AllowedValues.MAP,
          AllowedValues.RANDOM,
          AllowedValues.ZERO,
          AllowedValues.LAG);

  /**
   * The most children a sweep may have: its status holds a row per child, which must stay far under
   * the API server's object size limit (etcd's 1.5 MiB), and a bigger grid is better split.
   */
  public static final int MAX_CHILDREN = 256;

  private SweepPlanner() {}

  /** How many children the sweep's grid has, computed without building it. */
  public static long size(SweepSpec spec) {
    SweepAxes a = spec.axes == null ? new SweepAxes() : spec.axes;
    return count(a.operator) * count(a.blockSize) * count(a.alpha) * count(a.seed);
  }

  private static long count(List<?> axis) {
    return axis == null || axis.isEmpty() ? 1 : axis.size();
  }

  public static List<SweepChild> plan(String sweep, SweepSpec spec) {
    if (size(spec) > MAX_CHILDREN) {
      throw new IllegalArgumentException(
          "sweep " + sweep + " has " + size(spec) + " points; at most " + MAX_CHILDREN);
    }
    ExperimentSpec template = spec.template == null ? new ExperimentSpec() : spec.template;
    SweepAxes axes = spec.axes == null ? new SweepAxes() : spec.axes;
    String baseOp = template.growth == null ? null : template.growth.operator;
    Integer baseBlock = template.growth == null ? null : template.growth.blockSize;
    Double baseAlpha = template.schedule == null ? null : template.schedule.alpha;
    boolean share = !Boolean.FALSE.equals(spec.shareStages);
    List<SweepChild> children = new ArrayList<>();
    Map<String, String> leaders = new HashMap<>();
    for (Integer block : values(axes.blockSize, baseBlock)) {
      for (Double alpha : values(axes.alpha, baseAlpha)) {
        for (Long seed : values(axes.seed, template.seed)) {
          for (String op : values(axes.operator, baseOp)) {
            String name = JobNames.sweepChild(sweep, op + "|" + block + "|" + alpha + "|" + seed);
            ExperimentSpec child = Serialization.clone(template);
            if (child.growth == null) {
              child.growth = new GrowthSpec();
            }
            if (child.schedule == null && alpha != null) {
              child.schedule = new ScheduleSpec();
            }
            child.growth.operator = op;
            child.growth.blockSize = block;
            if (alpha != null) {
              child.schedule.alpha = alpha;
            }
            child.seed = seed;
            Optional<String> leader = Optional.empty();
            String effectiveOp = op == null ? AllowedValues.MIDAS : op;
            if (share && SHAREABLE.contains(effectiveOp)) {
              String key = Objects.toString(block) + "|" + alpha + "|" + seed;
              leader = Optional.ofNullable(leaders.putIfAbsent(key, name));
            }
            children.add(
                new SweepChild(
                    name, child, op, block, alpha, seed, leader, leader.isPresent() ? 1 : 0));
          }
        }
      }
    }
    return children;
  }

  /** The axis values, or the template's single value when the axis is absent or empty. */
  private static <T> List<T> values(List<T> axis, T base) {
    return axis == null || axis.isEmpty() ? Arrays.asList(base) : axis;
  }
}

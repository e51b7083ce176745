package dev.midas.stacking.report;

import java.awt.Color;

/** A fixed colour per method, so that MIDAS is the same colour in every plot. */
final class MethodColors {
  private static final Color[] FALLBACK = {
    new Color(0x4c72b0),
    new Color(0xdd8452),
    new Color(0x55a868),
    new Color(0xc44e52),
    new Color(0x8172b3),
    new Color(0x937860)
  };

  private MethodColors() {}

  static Color of(String name, int index) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.startsWith("midas")) {
      return new Color(0xc44e52);
    }
    if (n.startsWith("gradstack")) {
      return new Color(0x4c72b0);
    }
    if (n.startsWith("baseline")) {
      return new Color(0x333333);
    }
    if (n.startsWith("loop")) {
      return new Color(0x55a868);
    }
    if (n.startsWith("lag")) {
      return new Color(0x8172b3);
    }
    return FALLBACK[index % FALLBACK.length];
  }
}

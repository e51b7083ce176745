package dev.midas.stacking.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path tmp;

  static long pixelsOfColour(BufferedImage img, int rgb) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void linePlotDrawsEachMethodInItsOwnColour() throws Exception {
    Path png = tmp.resolve("loss.png");
    LinePlot.write(
        png,
        "Validation loss",
        "training FLOPs",
        "loss",
        List.of(
            new Series("midas", new double[] {1, 2, 3}, new double[] {5, 4, 3.5}),
            new Series("baseline", new double[] {1, 2, 3}, new double[] {5.2, 4.1, 3.4})),
        true);

    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(LinePlot.WIDTH);
    assertThat(pixelsOfColour(img, 0xc44e52)).as("midas red").isGreaterThan(100);
    assertThat(pixelsOfColour(img, 0x4c72b0)).as("gradstack blue, absent").isZero();
  }

  @Test
  void heatmapsAreDrawnSideBySideOnOneScale() throws Exception {
    Path png = tmp.resolve("sim.png");
    double[][] m = {{1, 0.5}, {0.5, 1}};
    double[][] g = {{1, 0.1}, {0.1, 1}};
    HeatmapPlot.writeSideBySide(
        png,
        "Block weight similarity",
        List.of(
            new Heatmap("midas", List.of("B1", "B2"), m),
            new Heatmap("gradstack", List.of("B1", "B2"), g)));

    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(2 * HeatmapPlot.PANEL);
    // The maximum (1.0 on both diagonals) is the darkest colour of the scale.
    assertThat(pixelsOfColour(img, 0x800026)).isGreaterThan(1000);
  }

  @Test
  void nonSquareHeatmapIsRefused() {
    assertThatThrownBy(() -> new Heatmap("x", List.of("a", "b"), new double[][] {{1, 2}, {3}}))
        .hasMessageContaining("not square");
  }
}

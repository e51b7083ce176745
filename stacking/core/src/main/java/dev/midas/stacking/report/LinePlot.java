package dev.midas.stacking.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line plots as PNG (loss against training FLOPs or wall clock; the isoplot of accuracy against
 * validation log-perplexity). One colour per method, the same in every plot of a report.
 */
public final class LinePlot {
  public static final int WIDTH = 900;
  public static final int HEIGHT = 560;

  private LinePlot() {}

  /**
   * Draws the series to a PNG.
   *
   * @param markers draw a marker at every point (for sparse data such as checkpoints)
   */
  public static void write(
      Path png, String title, String xLabel, String yLabel, List<Series> series, boolean markers)
      throws IOException {
    write(png, title, xLabel, yLabel, series, markers, false);
  }

  /**
   * As {@link #write(Path, String, String, String, List, boolean)}; {@code unitRange} fixes the y
   * axis to [0, 1] (accuracies), so that all-zero scores still read as zero, not as noise.
   */
  public static void write(
      Path png,
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      boolean markers,
      boolean unitRange)
      throws IOException {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name(), false, true);
      for (int i = 0; i < s.size(); i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          xy.add(s.x()[i], s.y()[i]);
        }
      }
      dataset.addSeries(xy);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    if (unitRange) {
      plot.getRangeAxis().setRange(-0.02, 1.02);
    }
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, MethodColors.of(series.get(i).name(), i));
      renderer.setSeriesStroke(i, new BasicStroke(2.0f));
    }
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }
}

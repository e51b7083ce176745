package dev.midas.stacking.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Heatmaps as one PNG with the panels side by side (MIDAS beside GradStack) on one shared colour
 * scale, so that the same colour means the same similarity in both.
 */
public final class HeatmapPlot {
  static final int PANEL = 520;
  private static final int TITLE_HEIGHT = 40;
  private static final int MAX_ANNOTATED = 12;

  private HeatmapPlot() {}

  public static void writeSideBySide(Path png, String title, List<Heatmap> panels)
      throws IOException {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no heatmaps to draw for " + title);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Heatmap h : panels) {
      for (double[] row : h.values()) {
        for (double v : row) {
          if (Double.isFinite(v)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
    }
    if (!(min < max)) {
      min = Double.isFinite(min) ? min - 1e-3 : 0;
      max = Double.isFinite(max) ? max + 1e-3 : 1;
    }
    BufferedImage image =
        new BufferedImage(PANEL * panels.size(), PANEL + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      int tw = g.getFontMetrics().stringWidth(title);
      g.drawString(title, (image.getWidth() - tw) / 2, 27);
      for (int i = 0; i < panels.size(); i++) {
        chart(panels.get(i), min, max)
            .draw(g, new Rectangle2D.Double(i * PANEL, TITLE_HEIGHT, PANEL, PANEL));
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static JFreeChart chart(Heatmap h, double min, double max) {
    int n = h.labels().size();
    DefaultXYZDataset data = new DefaultXYZDataset();
    double[][] xyz = new double[3][n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        int k = r * n + c;
        xyz[0][k] = c;
        xyz[1][k] = r;
        xyz[2][k] = h.values()[r][c];
      }
    }
    data.addSeries(h.name(), xyz);
    String[] labels = h.labels().toArray(String[]::new);
    SymbolAxis x = new SymbolAxis(null, labels);
    SymbolAxis y = new SymbolAxis(null, labels);
    y.setInverted(true); // row 0 on top, as a matrix is read
    x.setGridBandsVisible(false);
    y.setGridBandsVisible(false);
    XYBlockRenderer renderer = new XYBlockRenderer();
    LookupPaintScale scale = scale(min, max);
    renderer.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    if (n <= MAX_ANNOTATED) {
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n <= 6 ? 14 : 10);
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          double v = h.values()[r][c];
          XYTextAnnotation a = new XYTextAnnotation(String.format(Locale.ROOT, "%.2f", v), c, r);
          a.setFont(font);
          a.setPaint(fraction(v, min, max) > 0.6 ? Color.WHITE : Color.BLACK);
          plot.addAnnotation(a);
        }
      }
    }
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(h.name(), new Font(Font.SANS_SERIF, Font.BOLD, 15)));
    NumberAxis legendAxis = new NumberAxis("cosine");
    legendAxis.setRange(min, max);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setStripWidth(12);
    legend.setMargin(4, 4, 4, 4);
    chart.addSubtitle(legend);
    return chart;
  }

  /** White (lowest) to dark red (highest) in 64 steps. */
  private static LookupPaintScale scale(double min, double max) {
    LookupPaintScale scale = new LookupPaintScale(min, max + 1e-9, Color.WHITE);
    int steps = 64;
    for (int i = 0; i < steps; i++) {
      double t = i / (double) (steps - 1);
      Color c =
          new Color(
              (int) Math.round(255 - t * (255 - 128)),
              (int) Math.round(255 - t * 255),
              (int) Math.round(255 - t * (255 - 38)));
      scale.add(min + (max - min) * i / steps, c);
    }
    return scale;
  }

  private static double fraction(double v, double min, double max) {
    return (v - min) / (max - min);
  }
}

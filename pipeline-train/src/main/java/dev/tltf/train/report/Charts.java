package dev.tltf.train.report;

import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's pictures, drawn with JFreeChart as PNG bytes (headless). */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  /**
   * Train solid, validation dashed, and four distinct colours (Tableau's), so every legend entry is
   * told apart.
   */
  private static final Color TRAIN_LOSS = new Color(31, 119, 180);

  private static final Color VALIDATION_LOSS = new Color(255, 127, 14);
  private static final Color TRAIN_ACCURACY = new Color(44, 160, 44);
  private static final Color VALIDATION_ACCURACY = new Color(214, 39, 40);
  private static final BasicStroke SOLID = new BasicStroke(2f);
  private static final BasicStroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);

  /** Longest class name drawn on the confusion matrix's axes. */
  private static final int LABEL_CHARS = 22;

  private Charts() {}

  /**
   * Loss (top) and accuracy (bottom) per epoch, train and validation, with the kept epoch marked.
   */
  static byte[] learningCurves(List<EpochStats> history, int bestEpoch) {
    XYSeries trainLoss = new XYSeries("train loss");
    XYSeries validationLoss = new XYSeries("validation loss");
    XYSeries trainAccuracy = new XYSeries("train accuracy");
    XYSeries validationAccuracy = new XYSeries("validation accuracy");
    for (EpochStats e : history) {
      trainLoss.add(e.epoch(), e.trainLoss());
      trainAccuracy.add(e.epoch(), e.trainAccuracy());
      if (!Double.isNaN(e.validationLoss())) {
        validationLoss.add(e.epoch(), e.validationLoss());
        validationAccuracy.add(e.epoch(), e.validationAccuracy());
      }
    }
    NumberAxis epochs = axis("epoch");
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
    plot.setGap(14);
    plot.add(
        linePlot(
            "cross-entropy", trainLoss, TRAIN_LOSS, validationLoss, VALIDATION_LOSS, bestEpoch),
        1);
    plot.add(
        linePlot(
            "accuracy",
            trainAccuracy,
            TRAIN_ACCURACY,
            validationAccuracy,
            VALIDATION_ACCURACY,
            bestEpoch),
        1);
    JFreeChart chart =
        new JFreeChart(
            "Learning curves (kept epoch " + bestEpoch + ", grey line)", TITLE, plot, true);
    chart.getLegend().setItemFont(TICKS);
    return png(chart, 760, 560);
  }

  private static XYPlot linePlot(
      String label,
      XYSeries train,
      Color trainColour,
      XYSeries validation,
      Color validationColour,
      int bestEpoch) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(train);
    data.addSeries(validation);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, trainColour);
    renderer.setSeriesStroke(0, SOLID);
    renderer.setSeriesPaint(1, validationColour);
    renderer.setSeriesStroke(1, DASHED);
    renderer.setLegendLine(
        new java.awt.geom.Line2D.Double(-16, 0, 16, 0)); // long enough to show the dashes
    NumberAxis range = axis(label);
    range.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, null, range, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.addDomainMarker(new ValueMarker(bestEpoch, Color.GRAY, new BasicStroke(1.5f)));
    return plot;
  }

  /**
   * The confusion matrix as a heat map: rows = true class, columns = predicted, shade = share of
   * the true class, the count written in each cell.
   */
  static byte[] confusionMatrix(ClassificationReport report) {
    List<String> labels = report.labels();
    int n = labels.size();
    double[][] series = new double[3][n * n];
    long[] rows = new long[n];
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        rows[t] += report.confusion()[t][p];
      }
      for (int p = 0; p < n; p++) {
        int i = t * n + p;
        series[0][i] = p;
        series[1][i] = n - 1 - t;
        series[2][i] = share(report.confusion()[t][p], rows[t]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("share", series);
    LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
    for (int step = 0; step <= 10; step++) {
      scale.add(step / 10.0, shade(step / 10.0));
    }
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    // Long labels are shortened on the picture only; the table below it carries them in full.
    List<String> shown =
        labels.stream()
            .map(l -> l.length() <= LABEL_CHARS ? l : l.substring(0, LABEL_CHARS - 1) + "…")
            .toList();
    String[] reversed = new String[n];
    for (int i = 0; i < n; i++) {
      reversed[i] = shown.get(n - 1 - i);
    }
    SymbolAxis predicted = symbolAxis("predicted", shown.toArray(new String[0]));
    predicted.setVerticalTickLabels(n > 4 || shown.stream().anyMatch(l -> l.length() > 10));
    XYPlot plot = new XYPlot(data, predicted, symbolAxis("true", reversed), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    Font counts = new Font(Font.SANS_SERIF, Font.BOLD, n <= 10 ? 15 : n <= 25 ? 12 : 9);
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        XYTextAnnotation count =
            new XYTextAnnotation(Long.toString(report.confusion()[t][p]), p, n - 1 - t);
        count.setFont(counts);
        count.setPaint(share(report.confusion()[t][p], rows[t]) > 0.55 ? Color.WHITE : Color.BLACK);
        plot.addAnnotation(count);
      }
    }
    JFreeChart chart =
        new JFreeChart(
            "Confusion matrix (test split): counts, shaded by share of the true class",
            TITLE,
            plot,
            false);
    NumberAxis legendAxis = axis("share of true class");
    legendAxis.setRange(0, 1);
    legendAxis.setTickUnit(new NumberTickUnit(0.25, NumberFormat.getPercentInstance(Locale.ROOT)));
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setStripWidth(16);
    legend.setAxisOffset(4);
    // Room above and below the strip: the 0 % and 100 % ticks sit on its ends and were cut off
    // without it.
    legend.setMargin(new RectangleInsets(24, 12, 24, 8));
    chart.addSubtitle(legend);
    int longest = shown.stream().mapToInt(String::length).max().orElse(1);
    int labelRoom = Math.min(260, 30 + 8 * longest);
    int cells = Math.max(300, Math.min(1100, 56 * n));
    return png(chart, cells + labelRoom + 150, cells + labelRoom + 70);
  }

  private static double share(long count, long row) {
    return row == 0 ? 0 : (double) count / row;
  }

  /** White to dark blue. */
  private static Color shade(double share) {
    return new Color(
        (int) Math.round(255 - 222 * share),
        (int) Math.round(255 - 190 * share),
        (int) Math.round(255 - 100 * share));
  }

  private static NumberAxis axis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setLabelFont(AXIS_LABEL);
    axis.setTickLabelFont(TICKS);
    return axis;
  }

  private static SymbolAxis symbolAxis(String label, String[] symbols) {
    SymbolAxis axis = new SymbolAxis(label, symbols);
    axis.setLabelFont(AXIS_LABEL);
    axis.setTickLabelFont(TICKS);
    axis.setGridBandsVisible(false);
    return axis;
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot draw " + chart.getTitle().getText(), e);
    }
    return out.toByteArray();
  }
}

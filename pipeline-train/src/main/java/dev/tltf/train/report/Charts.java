package dev.tltf.train.report;

import dev.tltf.train.eval.ClassificationReport;
import dev.tltf.train.model.HeadTrainer.EpochStats;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's pictures, drawn with JFreeChart as PNG bytes (headless). */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** Loss (top) and accuracy (bottom) per epoch, train and validation, with the kept epoch marked. */
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
    NumberAxis epochs = new NumberAxis("epoch");
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
    plot.add(linePlot("cross-entropy", trainLoss, validationLoss, bestEpoch), 1);
    plot.add(linePlot("accuracy", trainAccuracy, validationAccuracy, bestEpoch), 1);
    return png(new JFreeChart("Learning curves (kept epoch " + bestEpoch + ")", JFreeChart.DEFAULT_TITLE_FONT, plot,
        true), 720, 520);
  }

  private static XYPlot linePlot(String label, XYSeries train, XYSeries validation, int bestEpoch) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(train);
    data.addSeries(validation);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(31, 119, 180));
    renderer.setSeriesPaint(1, new Color(255, 127, 14));
    XYPlot plot = new XYPlot(data, null, new NumberAxis(label), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.addDomainMarker(new org.jfree.chart.plot.ValueMarker(bestEpoch, Color.GRAY, new java.awt.BasicStroke(1f)));
    return plot;
  }

  /** The confusion matrix as a heat map: rows = true class, columns = predicted, shade = share of the true class. */
  static byte[] confusionMatrix(ClassificationReport report) {
    List<String> labels = report.labels();
    int n = labels.size();
    double[][] series = new double[3][n * n];
    for (int t = 0; t < n; t++) {
      long row = 0;
      for (int p = 0; p < n; p++) {
        row += report.confusion()[t][p];
      }
      for (int p = 0; p < n; p++) {
        int i = t * n + p;
        series[0][i] = p;
        series[1][i] = n - 1 - t;
        series[2][i] = row == 0 ? 0 : (double) report.confusion()[t][p] / row;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("share", series);
    LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
    for (int step = 0; step <= 10; step++) {
      int shade = 255 - step * 20;
      scale.add(step / 10.0, new Color(shade, shade, 255));
    }
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    String[] reversed = new String[n];
    for (int i = 0; i < n; i++) {
      reversed[i] = labels.get(n - 1 - i);
    }
    SymbolAxis predicted = new SymbolAxis("predicted", labels.toArray(new String[0]));
    predicted.setVerticalTickLabels(true);
    XYPlot plot = new XYPlot(data, predicted, new SymbolAxis("true", reversed), renderer);
    plot.setBackgroundPaint(Color.WHITE);
    JFreeChart chart = new JFreeChart("Confusion matrix (test split, share of each true class)",
        JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    NumberAxis legendAxis = new NumberAxis("share");
    legendAxis.setRange(0, 1);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    chart.addSubtitle(legend);
    int side = Math.max(420, Math.min(1400, 160 + 28 * n));
    return png(chart, side + 120, side);
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

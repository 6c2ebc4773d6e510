package dev.tltf.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.store.RandomWeightsWarning;
import dev.tltf.common.thumbnail.Thumbnails;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What report.html says, checked in its HTML (ReportInBrowserTest looks at it in a browser). */
class HeadReportTest {
  @TempDir static Path images;

  private static String page(String weights, Map<String, Object> metrics) {
    try {
      return new String(
          HeadReport.html(ReportFixtures.content(weights, metrics), ReportFixtures.images(images)),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data: URI of the thumbnail in the misclassified row of {@code path}. */
  private static String thumbnailOf(String html, String path) {
    Matcher row =
        Pattern.compile(
                "<tr><td class=\"t\"><img alt=\""
                    + Pattern.quote(path)
                    + "\" src=\"(data:[^\"]+)\"></td><td class=\"l\">"
                    + Pattern.quote(path)
                    + "</td>")
            .matcher(html);
    assertTrue(row.find(), "a thumbnail in the row of " + path + ": " + html);
    return row.group(1);
  }

  @Test
  void aMisclassifiedImageIsShownShrunkFromItsOriginal() throws IOException {
    String uri = thumbnailOf(page("random:7", Map.of()), ReportFixtures.PRESENT_MISS);
    String prefix = "data:image/jpeg;base64,";
    assertTrue(uri.startsWith(prefix), uri);
    BufferedImage thumbnail =
        ImageIO.read(
            new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(prefix.length()))));
    assertEquals(Thumbnails.SIZE, thumbnail.getWidth(), "the longer side shrunk to the size");
    assertEquals(Thumbnails.SIZE / 2, thumbnail.getHeight(), "the aspect ratio kept");
    Color left = new Color(thumbnail.getRGB(10, 24));
    Color right = new Color(thumbnail.getRGB(Thumbnails.SIZE - 10, 24));
    assertTrue(left.getRed() > 200 && left.getBlue() < 60, "the original's red half: " + left);
    assertTrue(right.getBlue() > 200 && right.getRed() < 60, "the original's blue half: " + right);
  }

  @Test
  void aMissingOriginalGivesAPlaceholderNotAFailure() {
    String html = page("random:7", Map.of());
    String uri = thumbnailOf(html, "with, comma/&quot;quoted&quot; 1.jpg");
    assertTrue(uri.startsWith("data:image/svg+xml;base64,"), uri);
    assertTrue(html.contains("<table id=\"misclassified\">"));
  }

  @Test
  void theTitleNamesTheHeadOnce() {
    String html = page("random:7", Map.of());
    assertTrue(html.contains("<title>head · tltf head report</title>"), html);
    assertTrue(html.contains("<h1>Head report: <code>head</code></h1>"));
    assertFalse(html.contains("Head head"));
  }

  @Test
  void randomWeightsAreWarnedAboutAtTheTop() {
    String html = page("random:7", Map.of());
    int warning =
        html.indexOf(
            "<p class=\"alert\" id=\"random-weights\">"
                + RandomWeightsWarning.of("random:7").orElseThrow()
                + "</p>");
    assertTrue(
        warning > 0 && warning < html.indexOf("<h2>"),
        "the warning comes before the first section");
    assertFalse(page("sha256:" + "ab".repeat(32), Map.of()).contains("random-weights"));
  }

  @Test
  void aMostlyMissedClassIsNamedAboveTheTables() {
    String html = page("sha256:" + "ab".repeat(32), Map.of());
    assertTrue(
        html.contains(
            "<p class=\"alert\" id=\"missed-classes\">1 class is mostly missed on the test split "
                + "(recall below 0.5): squares 0.10 (1 of 10 right)."),
        html);
    assertTrue(html.indexOf("missed-classes") < html.indexOf("<table id=\"per-class\">"));
    assertTrue(
        html.contains("<tr class=\"low\"><td class=\"l\">squares</td><td><b>0.100</b></td>"), html);
  }

  @Test
  void theL2ChoiceIsATableWhenMetricsHaveIt() {
    String html = page("random:7", ReportFixtures.metricsWithL2Path());
    Matcher table =
        Pattern.compile("<table id=\"l2-path\">(.*?)</table>", Pattern.DOTALL).matcher(html);
    assertTrue(table.find(), html);
    assertEquals(5, table.group(1).split("<tr").length - 1, "a header and four trials");
    assertTrue(
        table
            .group(1)
            .contains(
                "<tr class=\"kept\"><td>0.001</td><td>0.8438</td><td>0.5123</td><td>122</td>"
                    + "<td class=\"l\">✓ kept</td></tr>"),
        table.group(1));
    assertTrue(
        table.group(1).contains("<tr><td>0.0001</td><td>0.8125</td><td>0.6931</td><td>140</td>"));
    assertFalse(page("random:7", Map.of()).contains("l2-path"), "no table without l2_path");
  }

  @Test
  void settingsReadAsATableNotAsJavaRecords() {
    String html = page("random:7", Map.of());
    assertFalse(html.contains("LabelPolicy["), html);
    assertTrue(
        html.contains(
            "<tr><th class=\"l\">label policy: unknown key</th><td class=\"l\">drop</td></tr>"));
    assertTrue(
        html.contains("<tr><th class=\"l\">learning rate</th><td class=\"l\">0.001</td></tr>"));
    assertTrue(
        html.contains(
            "<tr><th class=\"l\">feature runs</th><td class=\"l\">20261203-091500-1a2b, "
                + "20261203-094000-3c4d</td></tr>"));
  }

  @Test
  void labelsAreTextAndCellsCarryCounts() {
    String html = page("random:7", Map.of());
    assertFalse(html.contains("<img src=x"), "a label is never markup");
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assertTrue(
        html.contains(
            "<td class=\"d\" style=\"background:rgba(31,119,180,0.81);color:#fff\">38</td>"),
        html);
  }

  @Test
  void misclassifiedCsvIsRfc4180() {
    String csv =
        new String(
            HeadReport.misclassifiedCsv(ReportFixtures.content("random:7", Map.of()).misses()),
            StandardCharsets.UTF_8);
    assertEquals(
        """
        path,true_label,predicted_label,probability
        squares/squares_003.png,squares,circles,0.910000
        "with, comma/""quoted"" 1.jpg",<img src=x onerror=alert(1)>,circles,0.550000
        """,
        csv);
  }
}

package dev.tltf.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * report.html in a real headless browser (Debian's chromium), at a laptop's width and at a phone's.
 * The screenshots stay in target/report-screenshots/ to be looked at. Without chromium the test is
 * skipped on a developer's machine (with a message saying how to install it) and fails under CI,
 * whose .ci/run installs it: it never passes unseen.
 */
class ReportInBrowserTest {
  private static final Path OUT =
      Path.of(System.getProperty("user.dir"), "target", "report-screenshots");

  private static Optional<Path> chromium() {
    return Stream.of("chromium", "chromium-browser", "google-chrome")
        .flatMap(
            name ->
                Stream.of(System.getenv("PATH").split(File.pathSeparator))
                    .map(dir -> Path.of(dir, name)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Path browser() {
    Optional<Path> found = chromium();
    if (found.isEmpty()) {
      String message =
          "chromium is not installed (apt-get install -y --no-install-recommends chromium, as .ci/run "
              + "does), so report.html was not checked in a browser";
      if (System.getenv("CI") != null) {
        fail(message + "; CI must run it.");
      }
      Assumptions.abort(message + ".");
    }
    return found.get();
  }

  private static BufferedImage screenshot(Path browser, Path page, int width, int height)
      throws Exception {
    Path png = OUT.resolve("report-" + width + "px.png");
    Files.deleteIfExists(png);
    Path profile = Files.createTempDirectory("tltf-chromium-");
    List<String> command =
        List.of(
            browser.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--user-data-dir=" + profile,
            "--screenshot=" + png,
            "--window-size=" + width + "," + height,
            page.toUri().toString());
    Path log = OUT.resolve("chromium-" + width + "px.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("chromium took over 2 minutes for a screenshot: " + Files.readString(log));
    }
    assertTrue(Files.isRegularFile(png), "no screenshot; chromium said: " + Files.readString(log));
    return ImageIO.read(png.toFile());
  }

  /** Share of pixels in rows [from, to) that are the alert's red border or pink background. */
  private static double alertShare(BufferedImage image, int from, int to) {
    long red = 0;
    for (int y = from; y < to; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        red +=
            (r > 180 && g < 90 && b < 90) || (r > 245 && g > 225 && g < 240 && b > 225 && b < 240)
                ? 1
                : 0;
      }
    }
    return (double) red / ((long) image.getWidth() * (to - from));
  }

  @Test
  void theReportReadsAtALaptopsAndAPhonesWidth() throws Exception {
    Path browser = browser();
    Files.createDirectories(OUT);
    Path page = OUT.resolve("report.html");
    Files.write(
        page,
        HeadReport.html(
            ReportFixtures.content("random:7", ReportFixtures.metricsWithL2Path()),
            ReportFixtures.images(OUT.resolve("images"))));
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertTrue(html.contains("id=\"l2-path\"") && html.contains("id=\"random-weights\""));
    assertTrue(html.contains("data:image/jpeg;base64,"), "a misclassified image's thumbnail");

    for (int[] size : new int[][] {{1280, 4200}, {390, 7600}}) {
      BufferedImage shot = screenshot(browser, page, size[0], size[1]);
      assertEquals(size[0], shot.getWidth(), "the screenshot is the window's width");
      assertTrue(
          alertShare(shot, 0, Math.min(700, shot.getHeight())) > 0.05,
          "the random-weights warning is visible at the top at " + size[0] + " px");
    }
  }
}

package dev.tltf.train.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tltf.common.io.Json;
import dev.tltf.common.io.Sha256;
import dev.tltf.common.split.Split;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit on real vectors: small generated images through bin/extract-features (seeded random
 * weights, 75 px), with copies that such features do preserve: the same pixels under other bytes
 * (BMP, and PNG at another compression level). Every such copy is a near-duplicate, cross-split
 * copies are leaks, false pairs stay ≤ 5 %; audit.html carries real thumbnails, and a headless
 * Chromium screenshot of it is kept in target/ when Chromium is installed.
 */
class AuditImagesIT {
  private static final Path PROJECT = Path.of(System.getProperty("user.dir")).getParent();
  private static final String[] CLASSES = {"circles", "squares", "stripes", "dots"};

  @TempDir Path dir;

  private static BufferedImage draw(int c, Random random) {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
    g.fillRect(0, 0, 64, 64);
    g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
    for (int k = 0; k < 3 + random.nextInt(4); k++) {
      int x = random.nextInt(50);
      int y = random.nextInt(50);
      int s = 8 + random.nextInt(24);
      switch (c) {
        case 0 -> g.fillOval(x, y, s, s);
        case 1 -> g.fillRect(x, y, s, s);
        case 2 -> g.fillRect(0, y, 64, 2 + random.nextInt(6));
        default -> g.fillOval(x, y, 5, 5);
      }
    }
    g.dispose();
    return image;
  }

  private static void pngAtMaximumCompression(BufferedImage image, File file) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0f); // smallest file, other bytes than the default level
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  private Process run(Path log, String... command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("SPARK_HOME");
    return builder.start();
  }

  private static void finish(Process process, Path log) throws Exception {
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "timed out");
    assertEquals(0, process.exitValue(), Files.readString(log));
  }

  @Test
  void samePixelCopiesAreFoundAsNearDuplicatesAndLeaks() throws Exception {
    Path images = dir.resolve("images");
    Random random = new Random(5);
    List<String[]> copies = new ArrayList<>(); // original, copy (relative paths)
    for (String name : CLASSES) {
      Files.createDirectories(images.resolve(name));
    }
    for (int c = 0; c < CLASSES.length; c++) {
      Path folder = images.resolve(CLASSES[c]);
      for (int i = 0; i < 18; i++) {
        BufferedImage image = draw(c, random);
        String name = CLASSES[c] + "_" + i + ".png";
        ImageIO.write(image, "png", folder.resolve(name).toFile());
        if (i < 3) { // the same pixels as BMP, once in another class's folder
          String target = i == 0 ? CLASSES[(c + 1) % CLASSES.length] : CLASSES[c];
          ImageIO.write(
              image, "bmp", images.resolve(target).resolve("copy_" + name + ".bmp").toFile());
          copies.add(new String[] {CLASSES[c] + "/" + name, target + "/copy_" + name + ".bmp"});
        } else if (i < 5) { // the same pixels as PNG with other compression
          pngAtMaximumCompression(image, folder.resolve("recompressed_" + name).toFile());
          copies.add(new String[] {CLASSES[c] + "/" + name, CLASSES[c] + "/recompressed_" + name});
        }
      }
    }
    for (String[] copy : copies) {
      assertTrue(
          !Sha256.hex(Files.readAllBytes(images.resolve(copy[0])))
              .equals(Sha256.hex(Files.readAllBytes(images.resolve(copy[1])))),
          "copies must differ in bytes: " + copy[1]);
    }
    Path store = dir.resolve("store");
    Path log = dir.resolve("extract.log");
    finish(
        run(
            log,
            PROJECT.resolve("bin/extract-features").toString(),
            "--master",
            "local[2]",
            "--images",
            images.toString(),
            "--out",
            store.toString(),
            "--random-weights",
            "3",
            "--image-size",
            "75"),
        log);
    Path audit = dir.resolve("audit");
    Path auditLog = dir.resolve("audit.log");
    finish(
        run(
            auditLog,
            PROJECT.resolve("bin/audit").toString(),
            "--master",
            "local[2]",
            "--features",
            store.toString(),
            "--out",
            audit.toString(),
            "--folds",
            "3",
            "--epochs",
            "30"),
        auditLog);
    System.out.println(
        Files.readString(auditLog)
            .lines()
            .filter(l -> !l.contains(" INFO "))
            .reduce("", (a, b) -> a + b + "\n"));

    Set<Set<String>> near = new HashSet<>();
    Set<Set<String>> leaks = new HashSet<>();
    for (String line : Files.readAllLines(audit.resolve("duplicates.csv"))) {
      String[] f = line.split(",", -1);
      if (f[0].equals("near")) {
        near.add(Set.of(f[2], f[6]));
        if (Boolean.parseBoolean(f[11])) {
          leaks.add(Set.of(f[2], f[6]));
        }
      }
    }
    Split split = new Split(80, 10);
    int across = 0;
    for (String[] copy : copies) {
      Set<String> pair = Set.of(copy[0], copy[1]);
      assertTrue(near.contains(pair), "copy not found: " + copy[1] + "; pairs: " + near);
      boolean leak =
          split.partOf(Sha256.hex(Files.readAllBytes(images.resolve(copy[0]))))
              != split.partOf(Sha256.hex(Files.readAllBytes(images.resolve(copy[1]))));
      assertEquals(leak, leaks.contains(pair), "leak flag of " + copy[1]);
      across += leak ? 1 : 0;
    }
    long falsePairs = (long) near.size() - copies.size();
    JsonNode summary = Json.mapper().readTree(Files.readString(audit.resolve("audit.json")));
    System.out.printf(
        Locale.ROOT,
        "same-pixel copies: %d planted, %d across splits, %d near pairs reported, %d false;"
            + " typical distance %.4g, threshold %.4g%n",
        copies.size(),
        across,
        near.size(),
        falsePairs,
        summary.get("nearDuplicateTypicalDistance").asDouble(),
        summary.get("nearDuplicateThreshold").asDouble());
    assertTrue(falsePairs <= 0.05 * near.size(), falsePairs + " false pairs of " + near.size());

    String html = Files.readString(audit.resolve("audit.html"), StandardCharsets.UTF_8);
    assertTrue(
        html.contains("data:image/jpeg;base64,"),
        "real thumbnails from the store's recorded --images root");
    Path kept = Path.of("target", "audit-it");
    Files.createDirectories(kept);
    Files.copy(
        audit.resolve("audit.html"),
        kept.resolve("audit.html"),
        StandardCopyOption.REPLACE_EXISTING);
    screenshot(
        kept.resolve("audit.html").toAbsolutePath(), kept.resolve("audit.png").toAbsolutePath());
  }

  /** A headless Chromium screenshot of the report, kept beside it, when Chromium is installed. */
  private void screenshot(Path html, Path png) throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(chromium)) {
      System.out.println("no screenshot: /usr/bin/chromium is not installed");
      return;
    }
    Process process =
        new ProcessBuilder(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--screenshot=" + png,
                "--window-size=1280,2400",
                html.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "chromium timed out");
    assertTrue(
        Files.size(png) > 10_000,
        "screenshot " + png + ": " + Files.readString(dir.resolve("chromium.log")));
    System.out.println("screenshot of audit.html: " + png);
  }
}

package dev.tltf.features.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a small, deterministic labelled image set that a person tells apart at a glance: one
 * folder per class (red circles, blue squares, green triangles, orange stripes), each image with
 * its own size, position, colour jitter and background noise, alternately JPEG and PNG. Used by
 * bin/demo and by tests.
 */
public final class SyntheticImages {
  public static final List<String> CLASSES = List.of("circles", "squares", "triangles", "stripes");

  private SyntheticImages() {}

  /** {@code java … SyntheticImages DIR [IMAGES_PER_CLASS] [SEED]} */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SyntheticImages DIR [IMAGES_PER_CLASS] [SEED]");
      System.exit(2);
    }
    int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    write(Path.of(args[0]), perClass, seed, 120, 240);
  }

  /**
   * Writes {@code perClass} images of each class under {@code dir/<class>/}, sides between min and
   * max pixels.
   */
  public static void write(Path dir, int perClass, long seed, int minSide, int maxSide)
      throws IOException {
    Random random = new Random(seed);
    for (String label : CLASSES) {
      Path folder = Files.createDirectories(dir.resolve(label));
      for (int i = 0; i < perClass; i++) {
        int width = minSide + random.nextInt(maxSide - minSide + 1);
        int height = minSide + random.nextInt(maxSide - minSide + 1);
        BufferedImage image = draw(label, width, height, random);
        String format = i % 2 == 0 ? "jpg" : "png";
        Path file = folder.resolve(String.format("%s_%03d.%s", label, i, format));
        if (!ImageIO.write(image, format.equals("jpg") ? "jpeg" : "png", file.toFile())) {
          throw new IOException("No ImageIO writer for " + format);
        }
      }
    }
  }

  /** One image of {@code label}, drawn with {@code random}. */
  public static BufferedImage draw(String label, int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int grey = 200 + random.nextInt(40);
    g.setColor(new Color(grey, grey, grey - random.nextInt(20)));
    g.fillRect(0, 0, width, height);
    for (int n = 0; n < 60; n++) {
      int v = 150 + random.nextInt(100);
      g.setColor(new Color(v, v, v));
      g.fillRect(
          random.nextInt(width),
          random.nextInt(height),
          2 + random.nextInt(6),
          2 + random.nextInt(6));
    }
    int side = Math.min(width, height);
    int size = side / 3 + random.nextInt(side / 3);
    int x = random.nextInt(Math.max(1, width - size));
    int y = random.nextInt(Math.max(1, height - size));
    switch (label) {
      case "circles" -> {
        g.setColor(jitter(new Color(210, 40, 40), random));
        g.fillOval(x, y, size, size);
      }
      case "squares" -> {
        g.setColor(jitter(new Color(40, 70, 210), random));
        g.fillRect(x, y, size, size);
      }
      case "triangles" -> {
        g.setColor(jitter(new Color(40, 170, 60), random));
        g.fillPolygon(
            new Polygon(
                new int[] {x, x + size / 2, x + size}, new int[] {y + size, y, y + size}, 3));
      }
      case "stripes" -> {
        g.setColor(jitter(new Color(240, 140, 20), random));
        g.setStroke(new BasicStroke(4 + random.nextInt(6)));
        int step = 14 + random.nextInt(10);
        for (int k = -height; k < width; k += step) {
          g.drawLine(k, 0, k + height, height);
        }
      }
      default -> throw new IllegalArgumentException("Unknown class " + label);
    }
    g.dispose();
    return image;
  }

  private static Color jitter(Color base, Random random) {
    return new Color(
        clamp(base.getRed() + random.nextInt(41) - 20),
        clamp(base.getGreen() + random.nextInt(41) - 20),
        clamp(base.getBlue() + random.nextInt(41) - 20));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}

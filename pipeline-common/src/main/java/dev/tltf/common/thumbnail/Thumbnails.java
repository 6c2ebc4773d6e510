package dev.tltf.common.thumbnail;

import dev.tltf.common.io.HadoopPaths;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small pictures of stored images for reports, as {@code data:} URIs to embed in a self-contained
 * HTML page. Display only: decoded with the JDK's ImageIO (whatever readers are on the classpath),
 * never with the model's decoder, so a thumbnail may differ from what the network saw (colour
 * profiles, orientation) and pipeline-common stays free of the backbone's image code. A missing,
 * unreadable or undecodable original gives a grey placeholder naming why; a report never fails for
 * a thumbnail.
 */
public final class Thumbnails {
  /** Longest side of a thumbnail, in pixels. */
  public static final int SIZE = 96;

  /** Files bigger than this are not read for a thumbnail (a placeholder says so). */
  static final long MAX_FILE_BYTES = 64L << 20;

  /** Images announcing more pixels than this are not decoded (decompression bombs). */
  static final long MAX_PIXELS = 100_000_000L;

  private final Path root;
  private final Configuration conf;

  /**
   * Thumbnails of images under {@code root} (a Hadoop URI, the --images root that store paths are
   * relative to), or placeholders for every image when {@code root} is null.
   */
  public Thumbnails(String root, Configuration conf) {
    this.root = root == null || root.isBlank() ? null : new Path(root);
    this.conf = conf;
  }

  /**
   * A {@code data:} URI of the image at {@code relativePath} under the root, or of a placeholder.
   */
  public String dataUri(String relativePath) {
    if (root == null) {
      return placeholder("no image root");
    }
    try {
      Path file = new Path(root, relativePath);
      FileSystem fs = HadoopPaths.fileSystem(file, conf);
      if (!HadoopPaths.isFile(fs, file)) {
        return placeholder("missing");
      }
      if (fs.getFileStatus(file).getLen() > MAX_FILE_BYTES) {
        return placeholder("too large");
      }
      BufferedImage image;
      try (InputStream in = fs.open(file)) {
        image = decodeSmall(in);
      }
      return image == null ? placeholder("not decodable") : jpegUri(shrink(image));
    } catch (IOException | RuntimeException e) {
      return placeholder("unreadable");
    }
  }

  /**
   * Decodes with source subsampling, so a large photo costs about a thumbnail's worth of pixels;
   * null when no reader knows the bytes or the header announces too many pixels.
   */
  static BufferedImage decodeSmall(InputStream in) throws IOException {
    try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      if (stream == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) {
          return null;
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = (int) Math.max(1, Math.min(width, height) / (2L * SIZE));
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
  }

  /** Scaled to fit {@value #SIZE} px (never enlarged), on white (alpha dropped), as 8-bit RGB. */
  static BufferedImage shrink(BufferedImage image) {
    double scale = Math.min(1.0, (double) SIZE / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return small;
  }

  private static String jpegUri(BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "jpeg", bytes)) {
      return placeholder("not encodable");
    }
    return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** A grey {@value #SIZE} px square saying {@code why}, as an SVG data URI. */
  public static String placeholder(String why) {
    String text = why.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    String svg =
        "<svg xmlns='http://www.w3.org/2000/svg' width='"
            + SIZE
            + "' height='"
            + SIZE
            + "'>"
            + "<rect width='100%' height='100%' fill='#ddd'/><text x='50%' y='50%' font-family='sans-serif' "
            + "font-size='11' fill='#555' text-anchor='middle' dominant-baseline='middle'>"
            + text
            + "</text></svg>";
    return "data:image/svg+xml;base64,"
        + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
  }
}

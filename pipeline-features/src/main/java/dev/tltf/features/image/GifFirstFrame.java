package dev.tltf.features.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * A GIF's first frame as Pillow 9.4 gives it ({@code GifImagePlugin}, then {@code convert('RGB')}):
 * the frame is laid on a canvas the size of the logical screen (grown to hold the frame if it
 * reaches past the screen), and the canvas outside the frame is the frame's transparency index if
 * it has one, else index 0, looked up in the frame's palette like the frame's own pixels. The GIF
 * background colour index plays no part. ImageIO instead returns the frame's rectangle alone.
 */
record GifFirstFrame(int width, int height, int left, int top, int fillIndex) {
  private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";
  private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";

  /**
   * The canvas of image 0 of the GIF {@code reader} is reading, from the metadata (before decoding
   * pixels).
   */
  static GifFirstFrame of(ImageReader reader) throws IOException {
    Node image = reader.getImageMetadata(0).getAsTree(IMAGE_FORMAT);
    Node descriptor = child(image, "ImageDescriptor");
    int left = intAttribute(descriptor, "imageLeftPosition", 0);
    int top = intAttribute(descriptor, "imageTopPosition", 0);
    int frameWidth = intAttribute(descriptor, "imageWidth", reader.getWidth(0));
    int frameHeight = intAttribute(descriptor, "imageHeight", reader.getHeight(0));
    int screenWidth = 0;
    int screenHeight = 0;
    IIOMetadata stream = reader.getStreamMetadata();
    if (stream != null) {
      Node screen = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
      screenWidth = intAttribute(screen, "logicalScreenWidth", 0);
      screenHeight = intAttribute(screen, "logicalScreenHeight", 0);
    }
    int fill = 0;
    Node control = child(image, "GraphicControlExtension");
    if (control != null && "TRUE".equalsIgnoreCase(attribute(control, "transparentColorFlag"))) {
      fill = intAttribute(control, "transparentColorIndex", 0);
    }
    return new GifFirstFrame(
        Math.max(screenWidth, left + frameWidth),
        Math.max(screenHeight, top + frameHeight),
        left,
        top,
        fill);
  }

  long pixels() {
    return (long) width * height;
  }

  /** Whether the frame alone already is the canvas, so there is nothing to lay out. */
  boolean isFrame(BufferedImage frame) {
    return left == 0 && top == 0 && frame.getWidth() == width && frame.getHeight() == height;
  }

  /** The decoded frame (indices and their palette) laid on this canvas, looked up into RGB. */
  RgbImage toRgb(BufferedImage frame) {
    IndexColorModel palette = (IndexColorModel) frame.getColorModel();
    Raster raster = frame.getRaster();
    byte[] rgb = new byte[width * height * 3];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      Arrays.fill(row, fillIndex);
      int frameY = y - top;
      if (frameY >= 0 && frameY < frame.getHeight()) {
        int from = Math.min(left, width);
        int count = Math.min(frame.getWidth(), width - from);
        int[] samples = new int[count];
        raster.getSamples(0, frameY, count, 1, 0, samples);
        System.arraycopy(samples, 0, row, from, count);
      }
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        rgb[i] = (byte) palette.getRed(row[x]);
        rgb[i + 1] = (byte) palette.getGreen(row[x]);
        rgb[i + 2] = (byte) palette.getBlue(row[x]);
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static Node child(Node parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (name.equals(node.getNodeName())) {
        return node;
      }
    }
    return null;
  }

  private static String attribute(Node node, String name) {
    Node attribute = node == null ? null : node.getAttributes().getNamedItem(name);
    return attribute == null ? null : attribute.getNodeValue();
  }

  private static int intAttribute(Node node, String name, int fallback) {
    String value = attribute(node, name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}

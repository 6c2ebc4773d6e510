package dev.tltf.features.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files into 8-bit RGB the way Keras' {@code load_img} (PIL {@code convert('RGB')})
 * does: grey is replicated into three channels, palettes are looked up, alpha is dropped (not
 * blended), EXIF orientation is ignored, and GIFs give their first frame laid on the logical screen
 * ({@link GifFirstFrame}). Samples deeper than 8 bits are scaled to 0..255 ({@code round(v · 255 /
 * (2^bits − 1))}); CMYK and YCCK become RGB with Pillow's plain formula ({@link CmykToRgb}).
 *
 * <p>Embedded colour profiles are never applied, as neither Pillow nor {@code tf.io.decode_image}
 * applies them. The plugins would: TwelveMonkeys' JPEG reader converts from any non-sRGB ICC
 * profile to sRGB (with no switch to stop it), so a JPEG's ICC segments are dropped before it reads
 * the bytes; its WebP reader converts unless asked for its raw type, which keeps the profile as the
 * colour space and the samples as stored. The JDK's PNG reader ignores iCCP, gAMA, cHRM and sRGB,
 * and the TIFF reader only labels its colour space with the profile; {@link #toRgb} reads samples,
 * never the colour space's conversion, for RGB, grey and CMYK.
 *
 * <p>Formats come from ImageIO plus the TwelveMonkeys plugins: JPEG (baseline, progressive,
 * CMYK/YCCK, grey), PNG, GIF, BMP, WebP and TIFF. The header is read first, so an image announcing
 * more than {@code maxPixels} is refused without allocating it. A JPEG whose data end early is
 * refused as corrupt (PIL refuses it too) instead of being padded with grey. Decoding that takes
 * longer than {@code timeout} is aborted through ImageIO's own abort request, which the decoders
 * check between rows.
 */
public final class ImageDecoder {
  static {
    registerPlugins();
  }

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "tltf-decode-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private final long maxFileBytes;
  private final long maxPixels;
  private final Duration timeout;

  public ImageDecoder(long maxFileBytes, long maxPixels, Duration timeout) {
    this.maxFileBytes = maxFileBytes;
    this.maxPixels = maxPixels;
    this.timeout = timeout;
  }

  /**
   * ImageIO finds plugins through the context class loader of the first thread that touches it; on
   * a Spark executor that may not be the loader of our job jar, so scan again with ours.
   */
  private static void registerPlugins() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try {
      thread.setContextClassLoader(ImageDecoder.class.getClassLoader());
      ImageIO.setUseCache(false);
      ImageIO.scanForPlugins();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  public RgbImage decode(byte[] bytes) throws ImageRejectedException {
    if (bytes.length == 0) {
      throw new ImageRejectedException(ErrorClass.EMPTY_FILE, "The file is empty (0 bytes).");
    }
    if (bytes.length > maxFileBytes) {
      throw new ImageRejectedException(
          ErrorClass.FILE_TOO_LARGE,
          String.format(
              "The file has %,d bytes, more than the limit of %,d.", bytes.length, maxFileBytes));
    }
    JpegHeader jpeg = JpegHeader.parse(bytes);
    // Without its ICC segments the JPEG plugin has no profile to convert from (it has no switch to
    // leave it alone).
    byte[] data = jpeg == null ? bytes : jpeg.withoutIccProfile(bytes);
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageRejectedException(
            ErrorClass.UNSUPPORTED_FORMAT,
            "The file is not an image in a supported format (JPEG, PNG, GIF, BMP, WebP, TIFF).");
      }
      ImageReader reader = readers.next();
      try {
        return read(reader, in, jpeg);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new ImageRejectedException(
          ErrorClass.UNREADABLE, "The image bytes could not be read: " + e.getMessage());
    }
  }

  private RgbImage read(ImageReader reader, ImageInputStream in, JpegHeader jpeg)
      throws ImageRejectedException {
    String format = formatName(reader);
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener(warningCollector(warnings));
    try {
      reader.setInput(in, true, true);
      long width = reader.getWidth(0);
      long height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new ImageRejectedException(
            ErrorClass.CORRUPT_IMAGE,
            String.format(
                "The %s header gives an invalid size of %d x %d pixels.", format, width, height));
      }
      GifFirstFrame gif = null;
      if (format.equals("GIF")) {
        gif = GifFirstFrame.of(reader);
        width = gif.width();
        height = gif.height();
      }
      if (width * height > maxPixels) {
        throw new ImageRejectedException(
            ErrorClass.TOO_MANY_PIXELS,
            String.format(
                "The %s is %,d x %,d pixels, more than the limit of %,d pixels.",
                format, width, height, maxPixels));
      }
      boolean fourComponentJpeg = jpeg != null && jpeg.components() == 4 && format.equals("JPEG");
      Raster cmyk = null;
      BufferedImage image = null;
      if (fourComponentJpeg) {
        // The plugin would convert CMYK with a 'generic' profile (or its own formula); Pillow's is
        // plainer.
        cmyk = readWithin(reader, format, () -> reader.readRaster(0, null));
      } else {
        ImageReadParam param = reader.getDefaultReadParam();
        if (format.equals("WEBP")) {
          // The raw type carries the ICCP profile as its colour space, so the plugin leaves the
          // samples alone.
          param.setDestinationType(reader.getRawImageType(0));
        }
        image = readWithin(reader, format, () -> reader.read(0, param));
      }
      for (String warning : warnings) {
        String lower = warning.toLowerCase(Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("truncat")) {
          throw new ImageRejectedException(
              ErrorClass.CORRUPT_IMAGE,
              "The " + format + " data are truncated (" + warning.trim() + ").");
        }
      }
      if (fourComponentJpeg) {
        return jpegCmykToRgb(cmyk, jpeg.isYcck());
      }
      if (gif != null && !gif.isFrame(image) && image.getColorModel() instanceof IndexColorModel) {
        return gif.toRgb(image);
      }
      return toRgb(image);
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      throw new ImageRejectedException(
          ErrorClass.CORRUPT_IMAGE,
          "The " + format + " data are damaged or truncated (" + describe(e) + ").",
          e);
    }
  }

  /** One read by {@code reader}: an image or a raster. */
  private interface Read<T> {
    T run() throws IOException;
  }

  /** Reads image 0, asking the reader to abort once {@code timeout} has passed. */
  private <T> T readWithin(ImageReader reader, String format, Read<T> read)
      throws IOException, ImageRejectedException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> alarm =
        WATCHDOG.schedule(
            () -> {
              timedOut.set(true);
              reader.abort();
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      T image = read.run();
      if (timedOut.get()) {
        throw timeout(format);
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (timedOut.get()) {
        throw timeout(format);
      }
      throw e;
    } finally {
      alarm.cancel(false);
    }
  }

  private ImageRejectedException timeout(String format) {
    return new ImageRejectedException(
        ErrorClass.DECODE_TIMEOUT,
        String.format(
            java.util.Locale.ROOT,
            "Decoding the %s took longer than the limit of %s s.",
            format,
            timeout.toMillis() / 1000.0));
  }

  private static IIOReadWarningListener warningCollector(List<String> warnings) {
    return (source, warning) -> warnings.add(warning);
  }

  private static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.trim();
  }

  /**
   * Converts any decoded image to interleaved 8-bit RGB without colour management (as PIL does).
   */
  static RgbImage toRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] rgb = new byte[width * height * 3];
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    int colorSpace = model.getColorSpace().getType();
    if (model instanceof IndexColorModel palette) {
      int[] indices = new int[width];
      for (int y = 0; y < height; y++) {
        raster.getSamples(0, y, width, 1, 0, indices);
        for (int x = 0; x < width; x++) {
          int i = (y * width + x) * 3;
          rgb[i] = (byte) palette.getRed(indices[x]);
          rgb[i + 1] = (byte) palette.getGreen(indices[x]);
          rgb[i + 2] = (byte) palette.getBlue(indices[x]);
        }
      }
    } else if (colorSpace == ColorSpace.TYPE_GRAY && raster.getNumBands() >= 1) {
      int bits = raster.getSampleModel().getSampleSize(0);
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        raster.getSamples(0, y, width, 1, 0, row);
        for (int x = 0; x < width; x++) {
          byte v = (byte) to8Bits(row[x], bits);
          int i = (y * width + x) * 3;
          rgb[i] = v;
          rgb[i + 1] = v;
          rgb[i + 2] = v;
        }
      }
    } else if (colorSpace == ColorSpace.TYPE_RGB
        && raster.getNumBands() >= 3
        && (model instanceof ComponentColorModel || model instanceof DirectColorModel)
        && !model.isAlphaPremultiplied()) {
      int[] row = new int[width];
      for (int band = 0; band < 3; band++) {
        int bits = raster.getSampleModel().getSampleSize(band);
        for (int y = 0; y < height; y++) {
          raster.getSamples(0, y, width, 1, band, row);
          for (int x = 0; x < width; x++) {
            rgb[(y * width + x) * 3 + band] = (byte) to8Bits(row[x], bits);
          }
        }
      }
    } else if (colorSpace == ColorSpace.TYPE_CMYK
        && raster.getNumBands() >= 4
        && model instanceof ComponentColorModel) {
      // CMYK TIFFs: Pillow's plain formula on the ink amounts, never the colour space's profile.
      int[] pixel = new int[raster.getNumBands()];
      int[] bits = raster.getSampleModel().getSampleSize();
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          raster.getPixel(x, y, pixel);
          CmykToRgb.convert(
              to8Bits(pixel[0], bits[0]),
              to8Bits(pixel[1], bits[1]),
              to8Bits(pixel[2], bits[2]),
              to8Bits(pixel[3], bits[3]),
              rgb,
              (y * width + x) * 3);
        }
      }
    } else {
      // Premultiplied and other exotic models: let the colour model convert.
      int[] argb = new int[width];
      for (int y = 0; y < height; y++) {
        image.getRGB(0, y, width, 1, argb, 0, width);
        for (int x = 0; x < width; x++) {
          int i = (y * width + x) * 3;
          rgb[i] = (byte) (argb[x] >> 16);
          rgb[i + 1] = (byte) (argb[x] >> 8);
          rgb[i + 2] = (byte) argb[x];
        }
      }
    }
    return new RgbImage(width, height, rgb);
  }

  /**
   * A four-component JPEG's raw samples (inverted CMYK, or YCCK) to RGB as Pillow converts them.
   */
  static RgbImage jpegCmykToRgb(Raster raster, boolean ycck) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    byte[] rgb = new byte[width * height * 3];
    int[] row = new int[width * raster.getNumBands()];
    int bands = raster.getNumBands();
    for (int y = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int i = x * bands;
        int offset = (y * width + x) * 3;
        if (ycck) {
          CmykToRgb.fromYcck(row[i], row[i + 1], row[i + 2], row[i + 3], rgb, offset);
        } else {
          CmykToRgb.fromInvertedCmyk(row[i], row[i + 1], row[i + 2], row[i + 3], rgb, offset);
        }
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static int to8Bits(int value, int bits) {
    if (bits == 8) {
      return value;
    }
    long max = (1L << bits) - 1;
    return (int) Math.round(value * 255.0 / max);
  }
}

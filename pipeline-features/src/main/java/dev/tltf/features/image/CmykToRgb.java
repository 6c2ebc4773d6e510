package dev.tltf.features.image;

/**
 * CMYK to RGB the way Pillow's {@code convert('RGB')} does it (libImaging/Convert.c {@code
 * cmyk2rgb}, Pillow 9.1 and later): no colour profile, {@code R = (255 − K) − round(C · (255 − K) /
 * 255)} with Pillow's integer rounding, and the same for M → G and Y → B. Samples are ink amounts:
 * 0 is no ink.
 *
 * <p>JPEGs store CMYK inverted (Adobe's convention, which Pillow always assumes) and often as YCCK;
 * libjpeg turns YCCK into inverted CMYK with its YCbCr → RGB tables, which {@link #fromYcck}
 * repeats.
 */
final class CmykToRgb {
  private static final int SCALE_BITS = 16;
  private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    // libjpeg's jdcolor.c build_ycc_rgb_table, unchanged in libjpeg-turbo.
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private CmykToRgb() {}

  private static int fix(double x) {
    return (int) (x * (1 << SCALE_BITS) + 0.5);
  }

  /**
   * Pillow's conversion of one pixel of ink amounts (0..255 each) into {@code rgb[offset .. offset
   * + 3)}.
   */
  static void convert(int c, int m, int y, int k, byte[] rgb, int offset) {
    int nk = 255 - k;
    rgb[offset] = (byte) (nk - mulDiv255(c, nk));
    rgb[offset + 1] = (byte) (nk - mulDiv255(m, nk));
    rgb[offset + 2] = (byte) (nk - mulDiv255(y, nk));
  }

  /** One pixel of a JPEG's stored (inverted) CMYK. */
  static void fromInvertedCmyk(int c, int m, int y, int k, byte[] rgb, int offset) {
    convert(255 - c, 255 - m, 255 - y, 255 - k, rgb, offset);
  }

  /**
   * One pixel of a JPEG's stored YCCK: libjpeg gives C = 255 − R, M = 255 − G, Y = 255 − B of the
   * YCbCr → RGB conversion and K as stored, which Pillow then inverts as Adobe CMYK.
   */
  static void fromYcck(int luma, int cb, int cr, int k, byte[] rgb, int offset) {
    int red = clamp(luma + CR_R[cr]);
    int green = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
    int blue = clamp(luma + CB_B[cb]);
    convert(red, green, blue, 255 - k, rgb, offset);
  }

  /** Pillow's MULDIV255: {@code a · b / 255} rounded, in integers. */
  private static int mulDiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }
}

package dev.tltf.features.engine;

/**
 * A direct, obviously correct NCHW convolution in double: the reference for the small engine tests.
 */
final class NaiveConvolution {
  private NaiveConvolution() {}

  /**
   * weights [out][in][kh][kw] flattened; pads before (top, left) and after implicitly by the output
   * size.
   */
  static float[] run(
      float[] input,
      int batch,
      int channels,
      int height,
      int width,
      float[] weights,
      float[] bias,
      int out,
      int kh,
      int kw,
      int stride,
      int padTop,
      int padLeft,
      int outHeight,
      int outWidth,
      boolean relu) {
    float[] result = new float[batch * out * outHeight * outWidth];
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < out; o++) {
        for (int y = 0; y < outHeight; y++) {
          for (int x = 0; x < outWidth; x++) {
            double sum = bias[o];
            for (int c = 0; c < channels; c++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int iy = y * stride + i - padTop;
                  int ix = x * stride + j - padLeft;
                  if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
                    sum +=
                        (double) input[((n * channels + c) * height + iy) * width + ix]
                            * weights[((o * channels + c) * kh + i) * kw + j];
                  }
                }
              }
            }
            result[((n * out + o) * outHeight + y) * outWidth + x] =
                (float) (relu ? Math.max(sum, 0) : sum);
          }
        }
      }
    }
    return result;
  }

  static double maxAbsDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  static float[] random(int length, long seed) {
    java.util.Random random = new java.util.Random(seed);
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}

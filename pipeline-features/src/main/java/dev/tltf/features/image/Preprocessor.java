package dev.tltf.features.image;

/**
 * Turns an RGB image into the network's input: resized to {@code size × size} with a {@link
 * ResizeMethod}, then scaled the 'tf' way ({@code x / 127.5 − 1}, so [-1, 1]), laid out
 * channels-first (CHW) as the graph expects.
 */
public final class Preprocessor {
  public static final String SCALING = "tf";

  private final int size;
  private final ResizeMethod method;

  public Preprocessor(int size, ResizeMethod method) {
    this.size = size;
    this.method = method;
  }

  public int size() {
    return size;
  }

  public ResizeMethod method() {
    return method;
  }

  /** Floats per image: 3 · size². */
  public int inputLength() {
    return 3 * size * size;
  }

  /** Writes the preprocessed image into {@code target[offset .. offset + inputLength())}, CHW. */
  public void write(RgbImage image, float[] target, int offset) {
    if (method == ResizeMethod.NEAREST) {
      writeNearest(image, target, offset);
    } else {
      writeBilinear(image, target, offset);
    }
  }

  public float[] toInput(RgbImage image) {
    float[] input = new float[inputLength()];
    write(image, input, 0);
    return input;
  }

  private static float scale(float value) {
    return value / 127.5f - 1f;
  }

  private void writeNearest(RgbImage image, float[] target, int offset) {
    int[] sourceX = PillowNearest.sourceIndices(image.width(), size);
    int[] sourceY = PillowNearest.sourceIndices(image.height(), size);
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int out = offset + y * size + x;
        for (int c = 0; c < 3; c++) {
          target[out + c * plane] = scale(image.sample(sourceX[x], sourceY[y], c));
        }
      }
    }
  }

  private void writeBilinear(RgbImage image, float[] target, int offset) {
    Axis xs = Axis.of(image.width(), size);
    Axis ys = Axis.of(image.height(), size);
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      int y0 = ys.lower[y];
      int y1 = ys.upper[y];
      float dy = ys.lerp[y];
      for (int x = 0; x < size; x++) {
        int x0 = xs.lower[x];
        int x1 = xs.upper[x];
        float dx = xs.lerp[x];
        int out = offset + y * size + x;
        for (int c = 0; c < 3; c++) {
          float topLeft = image.sample(x0, y0, c);
          float topRight = image.sample(x1, y0, c);
          float bottomLeft = image.sample(x0, y1, c);
          float bottomRight = image.sample(x1, y1, c);
          float top = topLeft + (topRight - topLeft) * dx;
          float bottom = bottomLeft + (bottomRight - bottomLeft) * dx;
          target[out + c * plane] = scale(top + (bottom - top) * dy);
        }
      }
    }
  }

  /** TensorFlow's interpolation weights along one axis (half-pixel centres, no antialiasing). */
  private record Axis(int[] lower, int[] upper, float[] lerp) {
    static Axis of(int inSize, int outSize) {
      float ratio = (float) inSize / outSize;
      int[] lower = new int[outSize];
      int[] upper = new int[outSize];
      float[] lerp = new float[outSize];
      for (int i = 0; i < outSize; i++) {
        float in = (i + 0.5f) * ratio - 0.5f;
        float floor = (float) Math.floor(in);
        lower[i] = Math.max((int) floor, 0);
        upper[i] = Math.min((int) Math.ceil(in), inSize - 1);
        lerp[i] = in - floor;
      }
      return new Axis(lower, upper, lerp);
    }
  }
}

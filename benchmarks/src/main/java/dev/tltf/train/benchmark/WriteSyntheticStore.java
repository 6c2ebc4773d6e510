package dev.tltf.train.benchmark;

import dev.tltf.common.testing.SharedSpark;

/**
 * Writes a {@link SyntheticVectorStore} for measuring train-head by hand: {@code
 * WriteSyntheticStore DIR ROWS CLASSES [DIMENSION] [SIGNAL]} (defaults 2048, 0.25).
 */
public final class WriteSyntheticStore {
  private WriteSyntheticStore() {}

  public static void main(String[] args) throws Exception {
    int dimension = args.length > 3 ? Integer.parseInt(args[3]) : 2048;
    double signal = args.length > 4 ? Double.parseDouble(args[4]) : 0.25;
    SyntheticVectorStore.write(
        SharedSpark.session(),
        args[0],
        Integer.parseInt(args[1]),
        Integer.parseInt(args[2]),
        dimension,
        signal,
        3);
    SharedSpark.session().stop();
  }
}

package dev.tltf.common.predict;

/**
 * The help page both prediction modes share ({@code bin/predict --help} shows prediction from
 * features, {@code bin/predict --images URI --help} prediction from images): one synopsis with both
 * modes, an example of each, and the flags only the other mode takes. Compile-time constants, for
 * picocli's annotations.
 */
public final class PredictHelp {
  public static final String FEATURES_MODE =
      "bin/predict --head DIR --features URI --out URI [OPTIONS]   from cached vectors (no backbone runs)";
  public static final String IMAGES_MODE =
      "bin/predict --head DIR --images URI --out URI [OPTIONS]     from new images (backbone, then head)";

  public static final String DESCRIPTION =
      "Writes the top-k labels and probabilities of a head for every image: "
          + "either for the vectors of a feature store (from extract-features), or for new images, which first go "
          + "through the backbone the head was trained on (nothing is added to any feature store). The output is a "
          + "Parquet directory, or with --format csv one CSV file at --out.";

  public static final String EXAMPLES =
      "%nExamples:%n"
          + "  bin/predict --head demo-output/head --features demo-output/features --out predictions.csv --format csv%n"
          + "  bin/predict --head demo-output/head --images new-photos/ --out new-predictions.csv --format csv%n"
          + "      (add --weights FILE.h5 if the head's weight file is not conf/weights/; --random-weights SEED for a%n"
          + "      head on seeded random weights, as extract-features takes it)";

  /** Printed on the features page: what only --images takes. */
  public static final String IMAGES_ONLY =
      "%nOnly with --images (bin/predict --images URI --help describes them):%n"
          + "  --weights FILE.h5, --random-weights SEED, --batch-size N, --extensions LIST, --max-file-bytes N,%n"
          + "  --max-pixels N, --decode-timeout-seconds S, --engine onednn|dl4j";

  /** Printed on the images page: what only --features takes. */
  public static final String FEATURES_ONLY =
      "%nOnly with --features (bin/predict --help describes it):%n"
          + "  --features URI   the feature store whose vectors to predict, instead of --images";

  private PredictHelp() {}
}

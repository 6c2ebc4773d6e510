package dev.tltf.features.backbone;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.io.HadoopPaths;
import dev.tltf.common.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds the weight file a job should use and identifies it by SHA-256, before any image is read.
 */
public final class WeightsFiles {
  /** The official Keras file name; bin/fetch-weights stores it as conf/weights/OFFICIAL_NAME. */
  public static final String OFFICIAL_NAME =
      "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5";

  private WeightsFiles() {}

  /**
   * Resolves the weights location to a readable Keras file, or says in one sentence how to get one.
   *
   * @param location the --weights value (flag or configured default), or null when none is
   *     configured
   * @param given whether the user passed --weights (only changes the message when the file is
   *     missing)
   */
  public static WeightsSource.KerasFile resolve(String location, boolean given) {
    String howToGet =
        "run bin/fetch-weights to download the official Keras InceptionV3 notop file, pass "
            + "--weights FILE.h5, or pass --random-weights SEED for seeded random weights (tests only)";
    InvalidInputException.check(location != null, "No weights configured: %s.", howToGet);
    Configuration conf = new Configuration();
    Path path = new Path(location);
    try {
      FileSystem fs = path.getFileSystem(conf);
      path = fs.makeQualified(path);
      if (!HadoopPaths.isFile(fs, path)) {
        throw new InvalidInputException(
            given
                ? "Cannot read --weights " + location + ": it does not exist or is not a file."
                : "No weight file at "
                    + location
                    + " (the default in conf/tltf.properties): "
                    + howToGet
                    + ".");
      }
      try (InputStream in = fs.open(path)) {
        return new WeightsSource.KerasFile(path.toString(), Sha256.hex(in));
      }
    } catch (IOException e) {
      throw new InvalidInputException("Cannot read weights " + location + ": " + e.getMessage(), e);
    }
  }
}

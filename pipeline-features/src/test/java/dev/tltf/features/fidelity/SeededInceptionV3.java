package dev.tltf.features.fidelity;

import dev.tltf.common.io.Sha256;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.backbone.OfficialLayoutWeights;
import dev.tltf.features.backbone.WeightsSource;
import dev.tltf.features.image.ResizeMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * The weights both implementations load in the fidelity tests: one official-layout Keras file with
 * seeded values (see {@link OfficialLayoutWeights}), written once per test JVM, and our DL4J
 * backbone loaded from it at 299 px through the production path ({@link Backbones}). Writing the
 * file and building the graph take seconds, so the test classes share them.
 */
final class SeededInceptionV3 {
  static final int SIZE = 299;
  private static final long SEED = 20_240_611;

  private static Path weights;

  private SeededInceptionV3() {}

  static synchronized Path weights() {
    if (weights == null) {
      try {
        Path dir = Files.createTempDirectory("tltf-fidelity-");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("inception_v3_seeded_notop.h5");
        OfficialLayoutWeights.write(file, SEED);
        file.toFile().deleteOnExit();
        weights = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return weights;
  }

  static Backbone backbone() {
    Path file = weights();
    try {
      String sha256 = Sha256.hex(Files.readAllBytes(file));
      BackboneSpec spec =
          new BackboneSpec(
              new WeightsSource.KerasFile(file.toString(), sha256), SIZE, ResizeMethod.BILINEAR);
      return Backbones.get(spec, new Configuration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.tltf.features.backbone;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.head.Head;
import dev.tltf.common.store.BackboneFingerprint;
import dev.tltf.features.image.ResizeMethod;
import java.util.Locale;

/**
 * The backbone a head was trained on, rebuilt from the head's fingerprint: input size, resize
 * method and weights (seeded random weights from their seed; a weight file from --weights or the
 * configured default, which must be the very file, by SHA-256, that the head's features came from).
 */
public final class HeadBackbones {
  private HeadBackbones() {}

  public static BackboneSpec forHead(
      Head head, String headLocation, String weights, boolean weightsGiven) {
    BackboneFingerprint trained = head.fingerprint();
    BackboneSpec probe =
        new BackboneSpec(
            new WeightsSource.Random(0), trained.inputSize(), resize(trained, headLocation));
    BackboneFingerprint ours = probe.fingerprint();
    InvalidInputException.check(
        ours.model().equals(trained.model())
            && ours.cutLayer().equals(trained.cutLayer())
            && ours.dimension() == trained.dimension()
            && ours.scaling().equals(trained.scaling()),
        "Cannot use head %s: it was trained on features of [%s], which this tltf cannot compute.",
        headLocation,
        trained.describe());
    WeightsSource source;
    if (trained.weights().startsWith("random:")) {
      InvalidInputException.check(
          !weightsGiven,
          "Cannot use --weights with head %s: it was trained on seeded random weights (%s), not on a weight file.",
          headLocation,
          trained.weights());
      source =
          new WeightsSource.Random(Long.parseLong(trained.weights().substring("random:".length())));
    } else {
      WeightsSource.KerasFile file = WeightsFiles.resolve(weights, weightsGiven);
      InvalidInputException.check(
          file.fingerprint().equals(trained.weights()),
          "Cannot use weights %s with head %s: the head was trained on features of weights %s, this file is %s.",
          weights,
          headLocation,
          trained.weights(),
          file.fingerprint());
      source = file;
    }
    return new BackboneSpec(source, trained.inputSize(), probe.resize());
  }

  private static ResizeMethod resize(BackboneFingerprint trained, String headLocation) {
    try {
      return ResizeMethod.valueOf(trained.resize().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "Cannot use head "
              + headLocation
              + ": its features were resized with '"
              + trained.resize()
              + "', which this tltf does not know.",
          e);
    }
  }
}

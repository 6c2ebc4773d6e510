package dev.tltf.train.audit;

import dev.tltf.common.split.Split;
import dev.tltf.common.testing.StoreFixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A labelled vector set with planted problems, for tests of the audit's algorithms (vectors are
 * generated, no images): classes of different sizes and spreads around random centres, then
 *
 * <ul>
 *   <li>exact duplicates: some images stored again under a second path (same image_id), half in
 *       another class;
 *   <li>copies: new images (new image_id) whose vector is the original's plus noise far below the
 *       distance between any two images, the way the same pixels saved under other bytes look to
 *       the network;
 *   <li>flipped labels: a share of the other images moved to a random other class folder;
 *   <li>outliers: images from far outside every class, one per class folder.
 * </ul>
 */
final class PlantedSet {
  static final String[] CLASSES = {"ant", "bee", "cat", "dog", "eel"};
  static final int[] SIZES = {360, 300, 260, 220, 200};
  static final double[] SPREADS = {1.0, 1.3, 1.6, 1.15, 1.45};

  final List<StoreFixtures.Vector> vectors = new ArrayList<>();

  /** Paths of the second copy of each exact duplicate, and the ids duplicated. */
  final Set<String> exactIds = new HashSet<>();

  /** Image ids of planted copies and of their originals. */
  final List<String[]> copies = new ArrayList<>();

  /** Image ids whose stored label was flipped. */
  final Set<String> flipped = new HashSet<>();

  final Set<String> outliers = new HashSet<>();

  static final int LATENT = 8;
  static final double OFFSET = 3;
  static final double NOISE = 0.03;

  PlantedSet(int dimension, double separation, double flipShare, long seed) {
    Random random = new Random(seed);
    // Classes live in a low-dimensional latent space (as image features lie near a low-dimensional
    // manifold), as
    // Gaussians of different spreads that overlap; a random linear map embeds them in `dimension`
    // dimensions, over a
    // common offset (avg_pool vectors share a direction) plus a little isotropic noise.
    float[][] embedding = new float[dimension][LATENT];
    for (float[] row : embedding) {
      for (int l = 0; l < LATENT; l++) {
        row[l] = (float) (random.nextGaussian() / Math.sqrt(LATENT));
      }
    }
    List<StoreFixtures.Vector> clean = new ArrayList<>();
    for (int c = 0; c < CLASSES.length; c++) {
      double[] centre = new double[LATENT];
      for (int l = 0; l < LATENT; l++) {
        centre[l] = random.nextGaussian() * separation;
      }
      for (int i = 0; i < SIZES[c]; i++) {
        double[] z = new double[LATENT];
        for (int l = 0; l < LATENT; l++) {
          z[l] = centre[l] + SPREADS[c] * random.nextGaussian();
        }
        clean.add(
            new StoreFixtures.Vector(
                CLASSES[c] + "/" + CLASSES[c] + "_" + i + ".jpg",
                hex(random),
                embed(embedding, z, random)));
      }
    }
    // Flip labels of a share of the images (never of those reused below).
    Split split = new Split(80, 10);
    int flips = (int) Math.round(flipShare * clean.size());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, random);
    Set<Integer> flippedRows = new HashSet<>();
    for (int i : order) {
      if (flippedRows.size() == flips) {
        break;
      }
      if (split.partOf(clean.get(i).imageId()) != Split.Part.TEST) {
        flippedRows.add(i);
      }
    }
    List<Integer> reusable = order.stream().filter(i -> !flippedRows.contains(i)).toList();
    for (int i = 0; i < clean.size(); i++) {
      StoreFixtures.Vector v = clean.get(i);
      if (flippedRows.contains(i)) {
        String own = v.path().substring(0, v.path().indexOf('/'));
        String other;
        do {
          other = CLASSES[random.nextInt(CLASSES.length)];
        } while (other.equals(own));
        vectors.add(
            new StoreFixtures.Vector(other + "/flipped_" + i + ".jpg", v.imageId(), v.values()));
        flipped.add(v.imageId());
      } else {
        vectors.add(v);
      }
    }
    // 20 exact duplicates: 10 in the same folder, 10 in another class's folder.
    for (int k = 0; k < 20; k++) {
      StoreFixtures.Vector v = clean.get(reusable.get(k));
      String own = v.path().substring(0, v.path().indexOf('/'));
      String other =
          CLASSES[(java.util.Arrays.asList(CLASSES).indexOf(own) + 1 + k % 4) % CLASSES.length];
      String folder = k < 10 ? own : other;
      vectors.add(
          new StoreFixtures.Vector(folder + "/again_" + k + ".png", v.imageId(), v.values()));
      exactIds.add(v.imageId());
    }
    // 40 copies under new bytes: the vector moved by ~1e-3 of the spacing between images.
    for (int k = 20; k < 60; k++) {
      StoreFixtures.Vector v = clean.get(reusable.get(k));
      float[] copy = v.values().clone();
      for (int d = 0; d < dimension; d++) {
        copy[d] += (float) (random.nextGaussian() * 1e-4);
      }
      String id = hex(random);
      String folder = v.path().substring(0, v.path().indexOf('/'));
      vectors.add(new StoreFixtures.Vector(folder + "/copy_" + k + ".bmp", id, copy));
      copies.add(new String[] {v.imageId(), id});
    }
    // One outlier per class folder: off the classes' manifold, at a typical distance from the
    // offset.
    for (int c = 0; c < CLASSES.length; c++) {
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) (OFFSET + random.nextGaussian() * 1.5);
      }
      String id = hex(random);
      vectors.add(new StoreFixtures.Vector(CLASSES[c] + "/screenshot_" + c + ".png", id, v));
      outliers.add(id);
    }
  }

  private static float[] embed(float[][] embedding, double[] z, Random random) {
    float[] v = new float[embedding.length];
    for (int d = 0; d < v.length; d++) {
      double value = OFFSET + NOISE * random.nextGaussian();
      for (int l = 0; l < z.length; l++) {
        value += embedding[d][l] * z[l];
      }
      v[d] = (float) value;
    }
    return v;
  }

  static String hex(Random random) {
    StringBuilder s = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      s.append(Character.forDigit(random.nextInt(16), 16));
    }
    return s.toString();
  }
}

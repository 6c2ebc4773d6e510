package dev.tltf.train.audit;

import java.io.Serializable;
import java.util.Arrays;

/**
 * For each image of a range {@code [offset, offset + size)}: its {@code k} most similar other
 * images (exact, not approximate) and its most similar image of the same class. Memory is {@code
 * size × k}, whatever the number of pairs looked at. Partial tables (one block pair's view) merge
 * into the full one, in any order, to the same result up to ties.
 */
public final class NeighbourTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final int size;
  private final int k;
  private final float[] similarity;
  private final int[] neighbour;
  private final int[] count;

  /**
   * The smallest kept similarity of a full row, −∞ while the row has room: the bar a candidate must
   * pass.
   */
  private final float[] bar;

  private final float[] sameClassBest;
  private final int[] sameClassNeighbour;

  public NeighbourTable(int offset, int size, int k) {
    this.offset = offset;
    this.size = size;
    this.k = k;
    similarity = new float[size * k];
    neighbour = new int[size * k];
    count = new int[size];
    bar = new float[size];
    Arrays.fill(bar, Float.NEGATIVE_INFINITY);
    sameClassBest = new float[size];
    Arrays.fill(sameClassBest, Float.NEGATIVE_INFINITY);
    sameClassNeighbour = new int[size];
    Arrays.fill(sameClassNeighbour, -1);
  }

  public int offset() {
    return offset;
  }

  public int size() {
    return size;
  }

  public int k() {
    return k;
  }

  /** Considers {@code other} (global index) as a neighbour of {@code image} (global index). */
  public void offer(int image, int other, float value, boolean sameClass) {
    int r = image - offset;
    if (sameClass && value > sameClassBest[r]) {
      sameClassBest[r] = value;
      sameClassNeighbour[r] = other;
    }
    if (value > bar[r]) {
      insert(r, other, value);
    }
  }

  private void insert(int r, int other, float value) {
    int base = r * k;
    if (count[r] < k) {
      similarity[base + count[r]] = value;
      neighbour[base + count[r]] = other;
      count[r]++;
      if (count[r] == k) {
        bar[r] = min(base);
      }
      return;
    }
    int weakest = base;
    for (int i = base + 1; i < base + k; i++) {
      if (similarity[i] < similarity[weakest]) {
        weakest = i;
      }
    }
    similarity[weakest] = value;
    neighbour[weakest] = other;
    bar[r] = min(base);
  }

  private float min(int base) {
    float m = similarity[base];
    for (int i = base + 1; i < base + k; i++) {
      m = Math.min(m, similarity[i]);
    }
    return m;
  }

  /** The bar row {@code image} sets for a new neighbour; for the kernel's fast path. */
  float bar(int image) {
    return bar[image - offset];
  }

  float sameClassBar(int image) {
    return sameClassBest[image - offset];
  }

  /**
   * Adds everything {@code part} holds (its range inside this one; the two saw different pairs).
   */
  public void merge(NeighbourTable part) {
    for (int r = 0; r < part.size; r++) {
      int image = part.offset + r;
      int own = image - offset;
      if (part.sameClassNeighbour[r] >= 0 && part.sameClassBest[r] > sameClassBest[own]) {
        sameClassBest[own] = part.sameClassBest[r];
        sameClassNeighbour[own] = part.sameClassNeighbour[r];
      }
      for (int i = 0; i < part.count[r]; i++) {
        int j = r * part.k + i;
        offer(image, part.neighbour[j], part.similarity[j], false);
      }
    }
  }

  /** One neighbour. */
  public record Neighbour(int image, float similarity) {}

  /** The kept neighbours of {@code image}, most similar first. */
  public Neighbour[] neighbours(int image) {
    int r = image - offset;
    Neighbour[] out = new Neighbour[count[r]];
    for (int i = 0; i < count[r]; i++) {
      out[i] = new Neighbour(neighbour[r * k + i], similarity[r * k + i]);
    }
    Arrays.sort(
        out,
        (a, b) ->
            a.similarity() != b.similarity()
                ? Float.compare(b.similarity(), a.similarity())
                : Integer.compare(a.image(), b.image()));
    return out;
  }

  /** The most similar image of the same class, or null when there is none. */
  public Neighbour sameClassNearest(int image) {
    int r = image - offset;
    return sameClassNeighbour[r] < 0
        ? null
        : new Neighbour(sameClassNeighbour[r], sameClassBest[r]);
  }
}

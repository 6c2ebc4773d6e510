package dev.tltf.features.vectors;

import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.common.io.Sha256;
import dev.tltf.features.backbone.Backbone;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.backbone.Backbones;
import dev.tltf.features.image.ErrorClass;
import dev.tltf.features.image.ImageDecoder;
import dev.tltf.features.image.ImageRejectedException;
import dev.tltf.features.image.Preprocessor;
import dev.tltf.features.image.RgbImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Stage 2 of a feature run, on the executors: read, decode and preprocess each new image, run the
 * backbone on batches, and emit one {@link Stages#COMPUTED} row per image (its vector, or why it
 * has none). Only one batch is in memory at a time, whatever the partition size.
 */
final class ImageFeaturizer implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  private final BackboneSpec spec;
  private final SerializableHadoopConf conf;
  private final DecodeLimits limits;
  private final int batchSize;
  private final LongAccumulator done;

  ImageFeaturizer(
      BackboneSpec spec,
      SerializableHadoopConf conf,
      DecodeLimits limits,
      int batchSize,
      LongAccumulator done) {
    this.spec = spec;
    this.conf = conf;
    this.limits = limits;
    this.batchSize = batchSize;
    this.done = done;
  }

  /** Input rows: (image_id, uri). */
  @Override
  public Iterator<Row> call(Iterator<Row> images) {
    Backbone backbone = Backbones.get(spec, conf.get());
    return new BatchIterator(images, backbone);
  }

  private final class BatchIterator implements Iterator<Row> {
    private final Iterator<Row> images;
    private final Backbone backbone;
    private final ImageDecoder decoder = limits.decoder();
    private final Preprocessor preprocessor = spec.preprocessor();
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final float[] input;

    BatchIterator(Iterator<Row> images, Backbone backbone) {
      this.images = images;
      this.backbone = backbone;
      this.input = new float[batchSize * preprocessor.inputLength()];
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && images.hasNext()) {
        nextBatch();
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void nextBatch() {
      List<String> ids = new ArrayList<>(batchSize);
      List<int[]> sizes = new ArrayList<>(batchSize);
      while (ids.size() < batchSize && images.hasNext()) {
        Row row = images.next();
        String imageId = row.getString(0);
        try {
          RgbImage image = decoder.decode(readChecked(row.getString(1), imageId));
          preprocessor.write(image, input, ids.size() * preprocessor.inputLength());
          ids.add(imageId);
          sizes.add(new int[] {image.width(), image.height()});
        } catch (ImageRejectedException e) {
          ready.add(
              RowFactory.create(imageId, null, null, null, e.getMessage(), e.errorClass().code()));
          done.add(1);
        }
      }
      if (ids.isEmpty()) {
        return;
      }
      float[] batch =
          ids.size() == batchSize
              ? input
              : Arrays.copyOf(input, ids.size() * preprocessor.inputLength());
      float[][] vectors = backbone.features(batch, ids.size());
      for (int i = 0; i < ids.size(); i++) {
        ready.add(
            RowFactory.create(
                ids.get(i), vectors[i], sizes.get(i)[0], sizes.get(i)[1], null, null));
      }
      done.add(ids.size());
    }

    /**
     * The file's bytes, refused if over the size limit or if they no longer hash to the id they
     * were listed with.
     */
    private byte[] readChecked(String uri, String imageId) throws ImageRejectedException {
      Configuration hadoop = conf.get();
      Path path = new Path(uri);
      byte[] bytes;
      try {
        FileSystem fs = path.getFileSystem(hadoop);
        long length = fs.getFileStatus(path).getLen();
        if (length > limits.maxFileBytes()) {
          throw new ImageRejectedException(
              ErrorClass.FILE_TOO_LARGE,
              String.format(
                  "The file has %,d bytes, more than the limit of %,d.",
                  length, limits.maxFileBytes()));
        }
        try (InputStream in = fs.open(path)) {
          bytes = in.readNBytes((int) Math.min(limits.maxFileBytes() + 1, Integer.MAX_VALUE - 16));
        }
      } catch (FileNotFoundException e) {
        throw new ImageRejectedException(
            ErrorClass.UNREADABLE, "The file vanished while the job ran.");
      } catch (IOException e) {
        throw new ImageRejectedException(
            ErrorClass.UNREADABLE, "The file could not be read: " + e.getMessage());
      }
      if (!Sha256.hex(bytes).equals(imageId)) {
        throw new ImageRejectedException(
            ErrorClass.UNREADABLE,
            "The file changed while the job ran (its bytes no longer match the image_id it was listed with).");
      }
      return bytes;
    }
  }
}

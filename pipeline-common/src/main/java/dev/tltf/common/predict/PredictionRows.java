package dev.tltf.common.predict;

import dev.tltf.common.head.Head;
import dev.tltf.common.head.PortableHead;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a head to (path, image_id, features) rows in batches, on the executors, and emits {@link
 * #SCHEMA} rows: (path, image_id, label, probability, top_k, error) with top_k = [(label,
 * probability)] best first. Inputs that have no vector get a row too, with only {@code error} set
 * (see {@link #failed}).
 */
public final class PredictionRows implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH = 512;

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("image_id", DataTypes.StringType, true),
            DataTypes.createStructField("label", DataTypes.StringType, true),
            DataTypes.createStructField("probability", DataTypes.FloatType, true),
            DataTypes.createStructField(
                "top_k",
                DataTypes.createArrayType(
                    new StructType(
                        new StructField[] {
                          DataTypes.createStructField("label", DataTypes.StringType, false),
                          DataTypes.createStructField("probability", DataTypes.FloatType, false)
                        }),
                    false),
                true),
            DataTypes.createStructField("error", DataTypes.StringType, true),
          });

  /** The row of an input that has no vector: its path, image_id if known, and why. */
  public static Row failed(String path, String imageId, String reason) {
    return RowFactory.create(path, imageId, null, null, null, reason);
  }

  private final PortableHead head;
  private final int topK;

  public PredictionRows(PortableHead head, int topK) {
    this.head = head;
    this.topK = topK;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Head model = head.head();
    return new Iterator<>() {
      private final List<Row> ready = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next == ready.size() && rows.hasNext()) {
          fill();
        }
        return next < ready.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.get(next++);
      }

      private void fill() {
        ready.clear();
        next = 0;
        List<Row> inputs = new ArrayList<>(BATCH);
        while (inputs.size() < BATCH && rows.hasNext()) {
          inputs.add(rows.next());
        }
        float[][] vectors = new float[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
          List<Float> values = inputs.get(i).getList(2);
          float[] vector = new float[values.size()];
          for (int d = 0; d < vector.length; d++) {
            vector[d] = values.get(d);
          }
          vectors[i] = vector;
        }
        float[][] probabilities = model.probabilities(vectors);
        for (int i = 0; i < inputs.size(); i++) {
          List<Head.Prediction> ranked = model.topK(probabilities[i], topK);
          List<Row> top = new ArrayList<>(ranked.size());
          for (Head.Prediction p : ranked) {
            top.add(RowFactory.create(p.label(), p.probability()));
          }
          ready.add(
              RowFactory.create(
                  inputs.get(i).getString(0),
                  inputs.get(i).getString(1),
                  ranked.get(0).label(),
                  ranked.get(0).probability(),
                  top.toArray(new Row[0]),
                  null));
        }
      }
    };
  }
}

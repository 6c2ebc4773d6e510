package dev.tltf.features.vectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import dev.tltf.common.io.SerializableHadoopConf;
import dev.tltf.common.store.FeatureStoreSchema;
import dev.tltf.features.backbone.BackboneSpec;
import dev.tltf.features.listing.FileHasher;
import dev.tltf.features.listing.ListedFile;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The two distributed stages that turn listed files into vectors, shared by the feature job and
 * prediction from images: {@link #hash} gives every file its content address (or an error), {@link
 * #compute} runs each distinct image through the backbone once.
 */
public final class ImageVectors {
  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final SerializableHadoopConf conf;
  private final BackboneSpec backbone;
  private final DecodeLimits limits;
  private final int batchSize;
  private final int partitions;
  private final LongAccumulator opened;
  private final LongAccumulator bytesRead;

  public ImageVectors(
      SparkSession spark,
      BackboneSpec backbone,
      DecodeLimits limits,
      int batchSize,
      int partitions) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.conf = new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration());
    this.backbone = backbone;
    this.limits = limits;
    this.batchSize = batchSize;
    this.partitions = partitions;
    this.opened = spark.sparkContext().longAccumulator("tltf.files.opened");
    this.bytesRead = spark.sparkContext().longAccumulator("tltf.bytes.read");
  }

  /** Stage 1: {@link Stages#HASHED} rows, one per file, every file read. */
  public Dataset<Row> hash(List<ListedFile> files) {
    return spark.createDataFrame(
        jsc.parallelize(files, hashSlices(files.size())).map(hasher()), Stages.HASHED);
  }

  /**
   * Stage 1 against a store's current rows ({@link
   * dev.tltf.common.store.FeatureStore#currentRows}): a file listed with the same size and
   * modification time as its path's current row keeps that row's image_id without being opened;
   * every other file is read and hashed. The comparison is a join of metadata (the feature job
   * passes only the files its driver found pending, but a retried file may still keep its id).
   */
  public Dataset<Row> hash(List<ListedFile> files, Dataset<Row> current) {
    int slices = hashSlices(files.size());
    Dataset<Row> listed =
        spark.createDataFrame(
            jsc.parallelize(files, slices).map(ImageVectors::listedRow), Stages.LISTED);
    String knownPath = "stored_path";
    String knownSize = "stored_size";
    String knownModified = "stored_modified_ms";
    Dataset<Row> known =
        current
            .filter(col(FeatureStoreSchema.IMAGE_ID).isNotNull())
            .select(
                col(FeatureStoreSchema.PATH).as(knownPath),
                    col(FeatureStoreSchema.IMAGE_ID).as(Stages.STORED_ID),
                col(FeatureStoreSchema.FILE_SIZE).as(knownSize),
                    col(FeatureStoreSchema.MODIFIED_MS).as(knownModified));
    Column unchanged =
        col(FeatureStoreSchema.PATH)
            .equalTo(col(knownPath))
            .and(col(FeatureStoreSchema.FILE_SIZE).equalTo(col(knownSize)))
            .and(col(FeatureStoreSchema.MODIFIED_MS).equalTo(col(knownModified)));
    // The join's partitions follow the shuffle (and adaptive execution may merge them into one):
    // spread the files
    // again so that the files to read are hashed in parallel.
    JavaRDD<Row> matched =
        listed
            .join(known, unchanged, "left")
            .select(
                col(FeatureStoreSchema.PATH),
                col(Stages.URI),
                col(FeatureStoreSchema.FILE_SIZE),
                col(FeatureStoreSchema.MODIFIED_MS),
                col(Stages.PROBLEM),
                col(Stages.STORED_ID))
            .javaRDD()
            .repartition(slices);
    FileHasher hasher = hasher();
    return spark.createDataFrame(
        matched.map(
            row -> {
              ListedFile file = listedFile(row);
              return row.isNullAt(5)
                  ? hasher.call(file)
                  : FileHasher.unchanged(file, row.getString(5));
            }),
        Stages.HASHED);
  }

  /** Files opened and bytes read by the hashing stage so far. */
  public long filesOpened() {
    return opened.value();
  }

  public long bytesRead() {
    return bytesRead.value();
  }

  private FileHasher hasher() {
    return new FileHasher(conf, limits.maxFileBytes(), opened, bytesRead);
  }

  private int hashSlices(int files) {
    return Math.max(1, Math.min(files, jsc.defaultParallelism() * 4));
  }

  private static Row listedRow(ListedFile file) {
    return RowFactory.create(
        file.path(), file.uri(), file.storedSize(), file.storedModifiedMs(), file.problem());
  }

  private static ListedFile listedFile(Row row) {
    return row.isNullAt(4)
        ? new ListedFile(row.getString(0), row.getString(1), row.getLong(2), row.getLong(3))
        : ListedFile.unreadable(row.getString(0), row.getString(1), row.getString(4));
  }

  /** The hashed files that could be read. */
  public static Dataset<Row> readable(Dataset<Row> hashed) {
    return hashed.filter(col(FeatureStoreSchema.IMAGE_ID).isNotNull());
  }

  /** The hashed files that could not be read, as error rows. */
  public static Dataset<Row> unreadable(Dataset<Row> hashed) {
    return hashed.filter(col(FeatureStoreSchema.IMAGE_ID).isNull()).select(errorColumns());
  }

  /** One (image_id, uri) per distinct image among {@code files} (rows with image_id and uri). */
  public static Dataset<Row> distinctImages(Dataset<Row> files) {
    return files.groupBy(FeatureStoreSchema.IMAGE_ID).agg(min(Stages.URI).as(Stages.URI));
  }

  /**
   * Stage 2: {@link Stages#COMPUTED} rows for {@code count} distinct (image_id, uri) rows; {@code
   * done} counts the images processed. Without a set partition count, tasks hold at most {@value
   * #BATCHES_PER_TASK} batches, at least four tasks per core: small tasks spread the work evenly
   * and report progress often, and a failed task costs little.
   */
  public Dataset<Row> compute(Dataset<Row> distinct, long count, LongAccumulator done) {
    long batches = (count + batchSize - 1) / batchSize;
    int slices =
        partitions > 0
            ? partitions
            : (int)
                Math.max(
                    1,
                    Math.min(
                        batches,
                        Math.max(
                            jsc.defaultParallelism() * 4L,
                            (batches + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK)));
    JavaRDD<Row> rows =
        distinct
            .select(FeatureStoreSchema.IMAGE_ID, Stages.URI)
            .javaRDD()
            .repartition(slices)
            .mapPartitions(new ImageFeaturizer(backbone, conf, limits, batchSize, done));
    return spark.createDataFrame(rows, Stages.COMPUTED);
  }

  static final int BATCHES_PER_TASK = 16;

  public LongAccumulator newCounter(String name) {
    return spark.sparkContext().longAccumulator(name);
  }

  public static Column[] errorColumns() {
    return new Column[] {
      col(FeatureStoreSchema.PATH),
      col(FeatureStoreSchema.IMAGE_ID),
      col(FeatureStoreSchema.REASON),
      col(FeatureStoreSchema.ERROR_CLASS),
      col(FeatureStoreSchema.FILE_SIZE),
      col(FeatureStoreSchema.MODIFIED_MS)
    };
  }

  public static scala.collection.Seq<String> columns(String... names) {
    return scala.collection.JavaConverters.collectionAsScalaIterableConverter(List.of(names))
        .asScala()
        .toSeq();
  }
}

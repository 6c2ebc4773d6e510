package dev.tltf.features.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.error.InvalidInputException;
import dev.tltf.common.io.Sha256;
import dev.tltf.features.image.ResizeMethod;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class KerasWeightsTest {
  @TempDir static Path dir;
  static Path official;

  @BeforeAll
  static void writeOfficialLayout() {
    official = dir.resolve("official.h5");
    OfficialLayoutWeights.write(official, 17);
  }

  /**
   * Builds the graph from {@code file}; first checks that validation without a network ({@link
   * Backbones#validate}) accepts exactly the files loading accepts, with the same message.
   */
  private static ComputationGraph load(Path file) {
    String sha = Sha256.hex(readAll(file));
    BackboneSpec spec =
        new BackboneSpec(
            new WeightsSource.KerasFile(file.toString(), sha), 75, ResizeMethod.BILINEAR);
    String refused = null;
    try {
      Backbones.validate(spec, new Configuration());
    } catch (InvalidInputException e) {
      refused = e.getMessage();
    }
    ComputationGraph graph;
    try {
      graph = Backbones.build(spec, new Configuration());
    } catch (InvalidInputException e) {
      assertEquals(e.getMessage(), refused, "validation must refuse what loading refuses");
      throw e;
    }
    assertEquals(null, refused, "validation refused a file that loads");
    return graph;
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void loadsEveryLayerByNameWithKerasToDl4jLayout() {
    ComputationGraph graph = load(official);
    try (HdfFile hdf = new HdfFile(official)) {
      float[][][][] kernel =
          (float[][][][]) hdf.getDatasetByPath("/conv2d_33/conv2d_33/kernel:0").getData();
      INDArray w =
          graph
              .getLayer("conv2d_33")
              .getParam("W"); // [out, in, kh, kw]; Keras (kh, kw, in, out) = (1, 7, …)
      assertEquals(kernel[0][5][17][100], w.getFloat(100, 17, 0, 5), 0f);
      assertEquals(kernel[0][0][0][0], w.getFloat(0, 0, 0, 0), 0f);
      float[] variance =
          (float[])
              hdf.getDatasetByPath(
                      "/batch_normalization_94/batch_normalization_94/" + "moving_variance:0")
                  .getData();
      assertEquals(
          variance[191],
          graph.getLayer("batch_normalization_94").getParam("var").getFloat(191),
          0f);
      float[] beta =
          (float[])
              hdf.getDatasetByPath("/batch_normalization_1/batch_normalization_1/beta:0").getData();
      assertEquals(
          beta[31], graph.getLayer("batch_normalization_1").getParam("beta").getFloat(31), 0f);
      assertEquals(1f, graph.getLayer("batch_normalization_1").getParam("gamma").getFloat(31), 0f);
    }
  }

  @Test
  void aMissingLayerIsNamedWithItsExpectedShape() {
    Path file = dir.resolve("missing.h5");
    OfficialLayoutWeights.write(
        file, 1, layers -> layers.stream().filter(l -> !l.layer().equals("conv2d_17")).toList());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(file));
    assertEquals(
        "Cannot load weights "
            + file
            + ": layer conv2d_17 is missing (no dataset /conv2d_17/conv2d_17/"
            + "kernel:0; expected shape (3, 3, 64, 96)).",
        e.getMessage().replace("file:", ""));
  }

  @Test
  void aWrongShapeIsNamedWithBothShapes() {
    Path file = dir.resolve("shape.h5");
    OfficialLayoutWeights.write(
        file,
        1,
        layers ->
            layers.stream()
                .map(
                    l ->
                        !l.layer().equals("batch_normalization_5")
                            ? l
                            : new OfficialLayoutWeights.LayerWeights(
                                l.layer(), withShape(l.shapes(), "moving_mean:0", 191)))
                .toList());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(file));
    assertEquals(
        "Cannot load weights "
            + file
            + ": layer batch_normalization_5 has moving_mean:0 shaped (191,), "
            + "expected (192,).",
        e.getMessage().replace("file:", ""));
  }

  private static Map<String, long[]> withShape(
      Map<String, long[]> shapes, String weight, long size) {
    Map<String, long[]> copy = new LinkedHashMap<>(shapes);
    copy.put(weight, new long[] {size});
    return copy;
  }

  @Test
  void truncatedAndForeignFilesFailWithTheFileNamed() throws Exception {
    byte[] bytes = Files.readAllBytes(official);
    for (int cut : new int[] {100, bytes.length / 2, bytes.length - 1000}) {
      Path truncated = dir.resolve("truncated-" + cut + ".h5");
      Files.write(truncated, Arrays.copyOf(bytes, cut));
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> load(truncated), "cut at " + cut);
      assertTrue(
          e.getMessage()
                  .startsWith(
                      "Cannot load weights "
                          + truncated.toUri().toString().replace("file:///", "file:/"))
              || e.getMessage().contains(truncated.toString()),
          e.getMessage());
    }
    Path text = dir.resolve("notes.h5");
    Files.writeString(text, "these are not weights");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(text));
    assertTrue(e.getMessage().contains("is not a readable HDF5 file"), e.getMessage());
  }

  @Test
  void aChangedFileIsRefused() throws Exception {
    BackboneSpec spec =
        new BackboneSpec(
            new WeightsSource.KerasFile(official.toString(), "0".repeat(64)),
            75,
            ResizeMethod.BILINEAR);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> Backbones.build(spec, new Configuration()));
    assertTrue(e.getMessage().contains("the file changed"), e.getMessage());
    assertTrue(
        List.of(e.getMessage().split(" ")).contains(official.toString())
            || e.getMessage().contains(official.toString()));
  }
}

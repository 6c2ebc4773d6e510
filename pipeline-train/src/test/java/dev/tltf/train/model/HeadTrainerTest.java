package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.head.Head;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.eval.Evaluator;
import dev.tltf.train.model.HeadTrainer.LabeledRows;
import dev.tltf.train.snapshot.VectorSpill;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class HeadTrainerTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  private static VectorSpill spill(List<StoreFixtures.Vector> vectors) {
    VectorSpill spill = VectorSpill.create(vectors.get(0).values().length);
    for (StoreFixtures.Vector v : vectors) {
      spill.append(v.values(), v.path(), v.imageId());
    }
    spill.flush();
    return spill;
  }

  private static LabeledRows rows(VectorSpill spill, List<StoreFixtures.Vector> vectors) {
    return LabeledRows.of(
        spill, vectors.stream().mapToInt(v -> LABELS.indexOf(v.path().substring(0, 1))).toArray());
  }

  @Test
  void spillGivesBackWhatWasAppended() {
    List<StoreFixtures.Vector> vectors = StoreFixtures.blobs(LABELS, 300, 5, 0.5, 1);
    try (VectorSpill spill = spill(vectors)) {
      assertEquals(900, spill.size());
      float[] two = new float[10];
      spill.read(new int[] {899, 3}, 2, two);
      assertArrayEquals(vectors.get(899).values(), java.util.Arrays.copyOfRange(two, 0, 5));
      assertArrayEquals(vectors.get(3).values(), java.util.Arrays.copyOfRange(two, 5, 10));
      assertEquals(vectors.get(899).path(), spill.path(899));
      assertEquals(vectors.get(899).imageId(), spill.imageId(899));
    }
  }

  private static void trainAndCheck(HeadConfig config, double minimum) {
    List<StoreFixtures.Vector> all = StoreFixtures.blobs(LABELS, 80, 32, 0.4, 7);
    List<StoreFixtures.Vector> train = new ArrayList<>();
    List<StoreFixtures.Vector> test = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      (i % 4 == 0 ? test : train).add(all.get(i));
    }
    try (VectorSpill trainSpill = spill(train);
        VectorSpill testSpill = spill(test)) {
      LabeledRows none = LabeledRows.of(testSpill, new int[0]);
      HeadTrainer.Result first = new HeadTrainer(config).train(rows(trainSpill, train), none, 3);
      HeadTrainer.Result second = new HeadTrainer(config).train(rows(trainSpill, train), none, 3);
      assertEquals(first.network().params(), second.network().params(), "same seed, same head");
      Head head = new Head(first.network(), LABELS, StoreFixtures.fingerprint("random:1", 32));
      double accuracy = Evaluator.evaluate(head, rows(testSpill, test), 1).report().accuracy();
      assertTrue(accuracy >= minimum, config + ": accuracy " + accuracy);
    }
  }

  @Test
  void learnsSeparableClassesAndIsReproducible() {
    trainAndCheck(HeadConfig.softmax(20, 0.01, 16, 1e-4, 42, 0), 0.95);
  }

  @Test
  void everyOptimizerHiddenLayerDropoutAndClassWeightingTrains() {
    for (HeadConfig.Optimizer optimizer : HeadConfig.Optimizer.values()) {
      trainAndCheck(
          new HeadConfig(
              20,
              optimizer == HeadConfig.Optimizer.SGD ? 0.05 : 0.01,
              16,
              1e-4,
              42,
              0,
              16,
              0.2,
              optimizer,
              HeadConfig.ClassWeights.BALANCED),
          0.9);
    }
  }

  @Test
  void foldedStandardizationGivesTheSameProbabilitiesOnRawVectors() {
    for (boolean hidden : new boolean[] {false, true}) {
      NeuralNetConfiguration.ListBuilder layers =
          new NeuralNetConfiguration.Builder().seed(5).list();
      if (hidden) {
        layers.layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build());
      }
      MultiLayerNetwork network =
          new MultiLayerNetwork(
              layers
                  .layer(
                      new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                          .nIn(hidden ? 6 : 4)
                          .nOut(3)
                          .activation(Activation.SOFTMAX)
                          .build())
                  .build());
      network.init();
      Standardizer standardizer =
          new Standardizer(new float[] {1, -2, 0.5f, 10}, new float[] {2, 0.5f, 1, 4});
      float[] raw = {3, -1, 0.25f, 14, 0, 0, 0, 0};
      float[] standardized = raw.clone();
      standardizer.apply(standardized, 2);
      float[][] expected =
          network.output(Nd4j.create(standardized, new long[] {2, 4}, 'c')).toFloatMatrix();
      HeadTrainer.foldStandardization(network, standardizer);
      float[][] actual = network.output(Nd4j.create(raw, new long[] {2, 4}, 'c')).toFloatMatrix();
      assertArrayEquals(expected[0], actual[0], 1e-6f);
      assertArrayEquals(expected[1], actual[1], 1e-6f);
    }
  }
}

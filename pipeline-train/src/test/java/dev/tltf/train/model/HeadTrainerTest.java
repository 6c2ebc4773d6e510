package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.head.Head;
import dev.tltf.common.testing.StoreFixtures;
import dev.tltf.train.data.VectorSpill;
import dev.tltf.train.eval.Evaluator;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class HeadTrainerTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  private static VectorSpill spill(List<StoreFixtures.Vector> vectors) {
    VectorSpill spill = VectorSpill.create(vectors.get(0).values().length, true);
    for (StoreFixtures.Vector v : vectors) {
      spill.append(v.values(), LABELS.indexOf(v.path().substring(0, 1)), v.path());
    }
    spill.flush();
    return spill;
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
      assertEquals(2, spill.label(899));
      assertEquals(vectors.get(899).path(), spill.key(899));
    }
  }

  @Test
  void learnsSeparableClassesAndIsReproducible() {
    List<StoreFixtures.Vector> all = StoreFixtures.blobs(LABELS, 80, 32, 0.4, 7);
    List<StoreFixtures.Vector> train = new java.util.ArrayList<>();
    List<StoreFixtures.Vector> test = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      (i % 4 == 0 ? test : train).add(all.get(i));
    }
    HeadConfig config = new HeadConfig(20, 0.01, 16, 1e-4, 42, 0);
    try (VectorSpill trainSpill = spill(train); VectorSpill empty = VectorSpill.create(32, false);
        VectorSpill testSpill = spill(test)) {
      HeadTrainer.Result first = new HeadTrainer(config).train(trainSpill, empty, 3);
      HeadTrainer.Result second = new HeadTrainer(config).train(trainSpill, empty, 3);
      assertEquals(first.network().params(), second.network().params(), "same seed, same head");
      Head head = new Head(first.network(), LABELS, StoreFixtures.fingerprint("random:1", 32));
      double accuracy = Evaluator.evaluate(head, testSpill, 1).report().accuracy();
      assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
      assertEquals(20, first.history().size());
    }
  }

  @Test
  void foldedStandardizationGivesTheSameProbabilitiesOnRawVectors() {
    MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build());
    network.init();
    Standardizer standardizer = new Standardizer(new float[] {1, -2, 0.5f, 10}, new float[] {2, 0.5f, 1, 4});
    float[] raw = {3, -1, 0.25f, 14, 0, 0, 0, 0};
    float[] standardized = raw.clone();
    standardizer.apply(standardized, 2);
    float[][] expected = network.output(Nd4j.create(standardized, new long[] {2, 4}, 'c')).toFloatMatrix();
    HeadTrainer.foldStandardization(network, standardizer);
    float[][] actual = network.output(Nd4j.create(raw, new long[] {2, 4}, 'c')).toFloatMatrix();
    assertArrayEquals(expected[0], actual[0], 1e-6f);
    assertArrayEquals(expected[1], actual[1], 1e-6f);
  }
}

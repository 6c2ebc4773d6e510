package dev.tltf.features.export;

import dev.tltf.common.head.Head;
import dev.tltf.features.backbone.InceptionV3;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;

/**
 * One DL4J ComputationGraph for serving: the backbone, frozen, with the head's layers appended
 * after {@code avg_pool} and carrying the head's trained parameters. Input: preprocessed images,
 * NCHW float32 [n, 3, size, size] in [-1, 1] ('tf' scaling); output {@code predictions}: class
 * probabilities in labels.txt order.
 */
public final class MergedModel {
  public static final String OUTPUT = "predictions";

  private MergedModel() {}

  public static ComputationGraph build(ComputationGraph backbone, Head head) {
    TransferLearning.GraphBuilder builder =
        new TransferLearning.GraphBuilder(backbone).setFeatureExtractor(InceptionV3.OUTPUT);
    Layer[] headLayers = head.network().getLayers();
    String input = InceptionV3.OUTPUT;
    for (int i = 0; i < headLayers.length; i++) {
      String name = i == headLayers.length - 1 ? OUTPUT : "head_" + i;
      builder.addLayer(name, ((FeedForwardLayer) headLayers[i].conf().getLayer()).clone(), input);
      input = name;
    }
    ComputationGraph merged = builder.setOutputs(OUTPUT).build();
    for (int i = 0; i < headLayers.length; i++) {
      String name = i == headLayers.length - 1 ? OUTPUT : "head_" + i;
      merged.getLayer(name).setParams(headLayers[i].params().dup());
    }
    return merged;
  }
}

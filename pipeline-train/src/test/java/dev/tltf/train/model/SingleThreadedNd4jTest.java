package dev.tltf.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SingleThreadedNd4jTest {
  @Test
  void limitsOpenMpToOneThreadAndRestoresIt() {
    int ompThreads = SingleThreadedNd4j.ompThreads();
    try (SingleThreadedNd4j threads = SingleThreadedNd4j.enter()) {
      assertEquals(1, SingleThreadedNd4j.ompThreads());
    }
    assertEquals(ompThreads, SingleThreadedNd4j.ompThreads());
  }
}

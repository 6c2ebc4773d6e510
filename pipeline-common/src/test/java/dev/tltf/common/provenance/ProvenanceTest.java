package dev.tltf.common.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tltf.common.io.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class ProvenanceTest {
  @Command(name = "demo-job", mixinStandardHelpOptions = true)
  static final class DemoJob implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "100")
    int epochs;

    @Option(names = "--l2", defaultValue = "auto")
    String l2;

    Settings settings;

    @Override
    public Integer call() {
      settings = Settings.of(spec);
      return 0;
    }
  }

  @Test
  void separatesGivenFlagsFromDefaultedOnes() {
    DemoJob job = new DemoJob();
    assertEquals(0, new CommandLine(job).execute("--epochs", "7"));
    assertEquals(Map.of("epochs", "7"), job.settings.given());
    assertEquals(Map.of("l2", "auto"), job.settings.defaulted());
  }

  @Test
  void recordsVersionsHostAndInputsAndSurvivesJson() {
    Provenance provenance =
        Provenance.current(Settings.of(Map.of("epochs", "7"), Map.of("l2", "auto")))
            .withInput("labels.sha256", "ab12");
    assertFalse(provenance.tltfVersion().isBlank());
    assertFalse(
        provenance.tltfVersion().contains("${"), "build.properties must be filtered by the build");
    assertTrue(provenance.versions().get("java").startsWith(System.getProperty("java.version")));
    assertTrue(provenance.versions().containsKey("spark"));
    assertEquals("ab12", provenance.inputs().get("labels.sha256"));

    Provenance read = Json.read(Json.write(provenance), Provenance.class, "provenance");
    assertEquals(provenance, read);
  }

  @Test
  void keepsOnlySimdFlags() {
    assertEquals("avx avx2 avx512f fma", HostInfo.simdOnly("fpu vme avx2 fma avx sse avx512f ht"));
  }
}

package dev.tltf.features.engine;

import static org.bytedeco.dnnl.global.dnnl.*;

import dev.tltf.common.NativeSetup;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few things every user of the oneDNN C API ({@code org.bytedeco:dnnl}, oneDNN 2.5) needs:
 * loading its natives after ND4J's (so that the process has one OpenMP runtime, ND4J's {@code
 * libgomp.so.1}, which both then share), turning status codes into exceptions that say what failed,
 * and building memory descriptors.
 */
public final class Dnnl {
  static {
    // ND4J first: its libnd4jcpu.so and libgomp.so.1 are then the ones the process uses;
    // libdnnl.so.2 binds to the
    // libgomp already loaded (one OpenMP runtime, one thread pool, one OMP_NUM_THREADS for both).
    NativeSetup.ensure();
    Nd4j.getBackend();
    org.bytedeco.javacpp.Loader.load(org.bytedeco.dnnl.global.dnnl.class);
  }

  private Dnnl() {}

  /** Loads the natives (idempotent); the static initialiser does the work. */
  public static void load() {}

  /** Throws if {@code status} is not success, naming what was being done. */
  static void check(int status, String what) {
    if (status != dnnl_success) {
      throw new IllegalStateException("oneDNN could not " + what + ": " + statusName(status));
    }
  }

  static String statusName(int status) {
    if (status == dnnl_out_of_memory) {
      return "out of memory";
    } else if (status == dnnl_invalid_arguments) {
      return "invalid arguments";
    } else if (status == dnnl_unimplemented) {
      return "unimplemented (no implementation for these shapes and formats)";
    } else if (status == dnnl_runtime_error) {
      return "runtime error";
    }
    return "status " + status;
  }

  /** "oneDNN 2.5.2 (OpenMP)". */
  public static String version() {
    dnnl_version_t v = dnnl_version();
    return "oneDNN " + v.major() + "." + v.minor() + "." + v.patch();
  }

  /** The instruction set oneDNN's kernels use on this CPU ("avx512_core", "avx2", …). */
  public static String cpuIsa() {
    int isa = dnnl_get_effective_cpu_isa();
    if (isa == dnnl_cpu_isa_avx512_core_amx) {
      return "avx512_core_amx";
    } else if (isa == dnnl_cpu_isa_avx512_core_bf16) {
      return "avx512_core_bf16";
    } else if (isa == dnnl_cpu_isa_avx512_core_vnni) {
      return "avx512_core_vnni";
    } else if (isa == dnnl_cpu_isa_avx512_core) {
      return "avx512_core";
    } else if (isa == dnnl_cpu_isa_avx2_vnni) {
      return "avx2_vnni";
    } else if (isa == dnnl_cpu_isa_avx2) {
      return "avx2";
    } else if (isa == dnnl_cpu_isa_avx) {
      return "avx";
    } else if (isa == dnnl_cpu_isa_sse41) {
      return "sse41";
    }
    return "isa " + isa;
  }

  /**
   * A float32 memory descriptor of {@code dims} in the layout {@code tag} (or {@code
   * dnnl_format_tag_any}).
   */
  static dnnl_memory_desc_t desc(long[] dims, int tag) {
    dnnl_memory_desc_t md = new dnnl_memory_desc_t();
    check(
        dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag),
        "describe a tensor of " + java.util.Arrays.toString(dims));
    return md;
  }

  /**
   * A copy of a descriptor owned by a primitive descriptor (which frees its own when destroyed).
   */
  static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
    dnnl_memory_desc_t owned = dnnl_primitive_desc_query_md(pd, what, 0);
    dnnl_memory_desc_t copy = new dnnl_memory_desc_t();
    Pointer.memcpy(copy, owned, copy.sizeof());
    return copy;
  }

  static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
    return dnnl_memory_desc_equal(a, b) != 0;
  }

  /**
   * The implementation oneDNN chose for a primitive ("brgconv:avx512_core", "jit:avx2",
   * "ref:any"…).
   */
  static String implementation(dnnl_primitive_desc pd) {
    try (PointerPointer<?> name = new PointerPointer<>(1)) {
      check(
          dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name),
          "query an implementation name");
      return new BytePointer(name.get(0)).getString();
    }
  }
}

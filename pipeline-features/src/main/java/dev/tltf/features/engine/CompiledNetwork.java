package dev.tltf.features.engine;

import static dev.tltf.features.engine.Dnnl.check;
import static org.bytedeco.dnnl.global.dnnl.*;

import dev.tltf.features.engine.LoweredGraph.Concat;
import dev.tltf.features.engine.LoweredGraph.Convolution;
import dev.tltf.features.engine.LoweredGraph.GlobalAveragePooling;
import dev.tltf.features.engine.LoweredGraph.Padding;
import dev.tltf.features.engine.LoweredGraph.Pooling;
import dev.tltf.features.engine.LoweredGraph.Shape;
import dev.tltf.features.engine.LoweredGraph.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;

/**
 * One {@link LoweredGraph} compiled into oneDNN primitives for one batch size: created once, run
 * many times.
 *
 * <p>Every convolution is created with {@code format_tag::any}, so oneDNN picks the blocked layout
 * its fastest kernel for this CPU wants (nChw16c on AVX-512, nChw8c on AVX2); pooling and concat
 * then run on the tensors as they are, and a reorder is inserted only where a consumer asks for
 * another layout than its producer wrote (in practice: the input image batch, once, and the output
 * vectors, once). Bias and ReLU are post-ops of the convolution. Weights are reordered into the
 * kernels' layout at compile time. Activations share buffers by liveness (a tensor's buffer is
 * reused once its last reader has run), all primitives share one user-owned scratchpad, and {@link
 * #close()} frees every native object and buffer at once.
 */
final class CompiledNetwork implements AutoCloseable {
  private final int batch;
  private final int inputLength;
  private final int outputLength;
  private final dnnl_engine engine;
  private final dnnl_stream stream;
  private final List<Value> values = new ArrayList<>();
  private final List<PendingExec> pending = new ArrayList<>();
  private final List<Exec> execs = new ArrayList<>();
  private final Deque<Runnable> closers = new ArrayDeque<>();
  private final Map<Value, List<Value>> reorders = new HashMap<>();
  private final Map<String, Integer> implementations = new LinkedHashMap<>();
  private final Value input;
  private final Value output;
  private long activationBytes;
  private long weightBytes;
  private long scratchpadBytes;
  private boolean closed;

  /** A tensor: its descriptor, then its buffer and memory object once buffers are assigned. */
  private static final class Value {
    final dnnl_memory_desc_t desc;
    final long bytes;
    final boolean pooled;
    int lastUse = -1;
    NativeBuffer buffer;
    dnnl_memory memory;

    Value(dnnl_memory_desc_t desc, boolean pooled) {
      this.desc = desc;
      this.bytes = dnnl_memory_desc_get_size(desc);
      this.pooled = pooled;
    }
  }

  private record Arg(int kind, Value value, boolean read) {}

  private record PendingExec(
      String label, dnnl_primitive_desc pd, List<Arg> args, dnnl_memory_desc_t scratchpad) {}

  private record Exec(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {}

  CompiledNetwork(LoweredGraph graph, int batch, dnnl_engine engine, dnnl_stream stream) {
    this.batch = batch;
    this.engine = engine;
    this.stream = stream;
    Shape in = graph.inputShape();
    Shape out = graph.last().output();
    this.inputLength = (int) in.size();
    this.outputLength = (int) out.size();
    try {
      input = newValue(Dnnl.desc(dims(in), dnnl_nchw), false);
      Map<String, Value> tensors = new HashMap<>();
      tensors.put(graph.input(), input);
      for (Step step : graph.steps()) {
        tensors.put(step.name(), lower(step, tensors));
      }
      output = newValue(Dnnl.desc(dims(out), dnnl_nchw), false);
      Value last = tensors.get(graph.last().name());
      addReorder("output", last, output);
      assignBuffers();
      createPrimitives();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  int batch() {
    return batch;
  }

  /**
   * Native bytes held: activations (after sharing), weights in kernel layout, the scratchpad, input
   * and output.
   */
  long nativeBytes() {
    return activationBytes + weightBytes + scratchpadBytes + input.bytes + output.bytes;
  }

  /** How many primitives use each implementation, e.g. {@code brgconv:avx512_core=94}. */
  Map<String, Integer> implementations() {
    return implementations;
  }

  /**
   * Features of the first {@code count} ≤ batch images of {@code images} (CHW floats back to back).
   */
  float[][] run(float[] images, int count) {
    if (closed) {
      throw new IllegalStateException("The oneDNN network was closed");
    }
    if (count < 1 || count > batch) {
      throw new IllegalArgumentException(
          "Invalid image count " + count + " for a network compiled for " + batch);
    }
    long length = (long) count * inputLength;
    input.buffer.put(images, (int) length);
    if (count < batch) {
      // Images past count are computed and dropped; zeros keep them finite.
      input.buffer.zero(length);
    }
    for (Exec exec : execs) {
      check(
          dnnl_primitive_execute(exec.primitive, stream, exec.count, exec.args), "run a primitive");
    }
    check(dnnl_stream_wait(stream), "finish a forward pass");
    float[][] features = new float[count][outputLength];
    for (int i = 0; i < count; i++) {
      output.buffer.get((long) i * outputLength, features[i]);
    }
    return features;
  }

  private Value lower(Step step, Map<String, Value> tensors) {
    if (step instanceof Convolution conv) {
      return convolution(conv, tensors.get(conv.input()));
    } else if (step instanceof Pooling pool) {
      return pooling(
          pool.name(),
          tensors.get(pool.input()),
          pool.output(),
          pool.max()
              ? dnnl_pooling_max
              : pool.excludePadding()
                  ? dnnl_pooling_avg_exclude_padding
                  : dnnl_pooling_avg_include_padding,
          new long[] {pool.kernelHeight(), pool.kernelWidth()},
          new long[] {pool.strideHeight(), pool.strideWidth()},
          pool.padding());
    } else if (step instanceof GlobalAveragePooling gap) {
      dnnl_memory_desc_t src = tensors.get(gap.input()).desc;
      long height = src.dims().get(2);
      long width = src.dims().get(3);
      return pooling(
          gap.name(),
          tensors.get(gap.input()),
          gap.output(),
          dnnl_pooling_avg_exclude_padding,
          new long[] {height, width},
          new long[] {1, 1},
          new Padding(0, 0, 0, 0));
    } else if (step instanceof Concat concat) {
      List<Value> sources = new ArrayList<>();
      for (String name : concat.inputs()) {
        sources.add(tensors.get(name));
      }
      return concat(concat.name(), sources);
    }
    throw new IllegalStateException("unknown step " + step);
  }

  private Value convolution(Convolution conv, Value source) {
    Shape out = conv.output();
    long[] srcDims = dims4(source.desc);
    long[] weightDims = {out.channels(), srcDims[1], conv.kernelHeight(), conv.kernelWidth()};
    dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
    Padding p = conv.padding();
    check(
        dnnl_convolution_forward_desc_init(
            desc,
            dnnl_forward_inference,
            dnnl_convolution_direct,
            Dnnl.desc(srcDims, dnnl_format_tag_any),
            Dnnl.desc(weightDims, dnnl_format_tag_any),
            Dnnl.desc(new long[] {out.channels()}, dnnl_format_tag_any),
            Dnnl.desc(dims(out), dnnl_format_tag_any),
            new long[] {conv.strideHeight(), conv.strideWidth()},
            new long[] {p.top(), p.left()},
            new long[] {p.bottom(), p.right()}),
        "describe convolution " + conv.name());
    dnnl_primitive_desc pd =
        primitiveDesc(new const_dnnl_op_desc_t(desc), conv.relu(), conv.name());
    Value src = inLayout(source, Dnnl.query(pd, dnnl_query_src_md), conv.name());
    Value weights =
        constant(
            conv.weights(),
            weightDims,
            dnnl_oihw,
            Dnnl.query(pd, dnnl_query_weights_md),
            conv.name());
    Value bias =
        constant(
            conv.bias(),
            new long[] {out.channels()},
            dnnl_a,
            dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 1),
            conv.name());
    Value dst = newValue(Dnnl.query(pd, dnnl_query_dst_md), true);
    addExec(
        conv.name(),
        pd,
        List.of(
            new Arg(DNNL_ARG_SRC, src, true),
            new Arg(DNNL_ARG_WEIGHTS, weights, true),
            new Arg(DNNL_ARG_BIAS, bias, true),
            new Arg(DNNL_ARG_DST, dst, false)));
    return dst;
  }

  private Value pooling(
      String name,
      Value source,
      Shape out,
      int algorithm,
      long[] kernel,
      long[] strides,
      Padding p) {
    dnnl_pooling_desc_t desc = new dnnl_pooling_desc_t();
    long[] outDims = {batch, out.channels(), out.height(), out.width()};
    check(
        dnnl_pooling_forward_desc_init(
            desc,
            dnnl_forward_inference,
            algorithm,
            source.desc,
            Dnnl.desc(outDims, dnnl_format_tag_any),
            strides,
            kernel,
            new long[] {p.top(), p.left()},
            new long[] {p.bottom(), p.right()}),
        "describe pooling " + name);
    dnnl_primitive_desc pd = primitiveDesc(new const_dnnl_op_desc_t(desc), false, name);
    Value dst = newValue(Dnnl.query(pd, dnnl_query_dst_md), true);
    addExec(
        name, pd, List.of(new Arg(DNNL_ARG_SRC, source, true), new Arg(DNNL_ARG_DST, dst, false)));
    return dst;
  }

  private Value concat(String name, List<Value> sources) {
    dnnl_memory_desc_t descs = new dnnl_memory_desc_t(sources.size());
    closers.push(descs::close);
    for (int i = 0; i < sources.size(); i++) {
      Pointer.memcpy(descs.getPointer(i), sources.get(i).desc, descs.sizeof());
    }
    dnnl_primitive_desc pd = new dnnl_primitive_desc();
    dnnl_primitive_attr attr = scratchpadAttr();
    try {
      check(
          dnnl_concat_primitive_desc_create(pd, null, sources.size(), 1, descs, attr, engine),
          "create concat " + name);
    } finally {
      dnnl_primitive_attr_destroy(attr);
    }
    List<Arg> args = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      args.add(new Arg(DNNL_ARG_MULTIPLE_SRC + i, sources.get(i), true));
    }
    Value dst = newValue(Dnnl.query(pd, dnnl_query_dst_md), true);
    args.add(new Arg(DNNL_ARG_DST, dst, false));
    addExec(name, pd, args);
    return dst;
  }

  /** {@code source} as {@code wanted} lays it out: itself, or (once per layout) a reorder of it. */
  private Value inLayout(Value source, dnnl_memory_desc_t wanted, String consumer) {
    if (Dnnl.same(source.desc, wanted)) {
      return source;
    }
    for (Value reordered : reorders.computeIfAbsent(source, v -> new ArrayList<>())) {
      if (Dnnl.same(reordered.desc, wanted)) {
        return reordered;
      }
    }
    Value reordered = newValue(wanted, source != input);
    addReorder("reorder for " + consumer, source, reordered);
    reorders.get(source).add(reordered);
    return reordered;
  }

  /**
   * A weight tensor in the layout the kernel asked for, reordered from DL4J's plain layout now,
   * once.
   */
  private Value constant(
      float[] data, long[] dims, int plainTag, dnnl_memory_desc_t wanted, String layer) {
    dnnl_memory_desc_t plain = Dnnl.desc(dims, plainTag);
    Value value = newValue(copyOf(wanted), false);
    value.buffer = new NativeBuffer(value.bytes);
    weightBytes += value.bytes;
    closers.push(value.buffer::close);
    value.memory = memory(value.desc, value.buffer);
    try (NativeBuffer staging = new NativeBuffer((long) data.length * Float.BYTES)) {
      staging.put(data, data.length);
      dnnl_memory from = new dnnl_memory();
      check(
          dnnl_memory_create(from, plain, engine, staging.handle()),
          "stage the weights of " + layer);
      dnnl_primitive_desc pd = new dnnl_primitive_desc();
      check(
          dnnl_reorder_primitive_desc_create(pd, plain, engine, value.desc, engine, null),
          "lay out the weights of " + layer);
      dnnl_primitive reorder = new dnnl_primitive();
      check(dnnl_primitive_create(reorder, pd), "create a weight reorder for " + layer);
      dnnl_primitive_desc_destroy(pd);
      try (dnnl_exec_arg_t args = new dnnl_exec_arg_t(2)) {
        args.position(0).arg(DNNL_ARG_FROM).memory(from);
        args.position(1).arg(DNNL_ARG_TO).memory(value.memory);
        args.position(0);
        check(dnnl_primitive_execute(reorder, stream, 2, args), "reorder the weights of " + layer);
        check(dnnl_stream_wait(stream), "reorder the weights of " + layer);
      } finally {
        dnnl_primitive_destroy(reorder);
        dnnl_memory_destroy(from);
      }
    }
    return value;
  }

  private void addReorder(String label, Value from, Value to) {
    dnnl_primitive_desc pd = new dnnl_primitive_desc();
    dnnl_primitive_attr attr = scratchpadAttr();
    try {
      check(
          dnnl_reorder_primitive_desc_create(pd, from.desc, engine, to.desc, engine, attr),
          "create " + label);
    } finally {
      dnnl_primitive_attr_destroy(attr);
    }
    addExec(
        label, pd, List.of(new Arg(DNNL_ARG_FROM, from, true), new Arg(DNNL_ARG_TO, to, false)));
  }

  private dnnl_primitive_desc primitiveDesc(const_dnnl_op_desc_t op, boolean relu, String name) {
    dnnl_primitive_attr attr = scratchpadAttr();
    dnnl_post_ops postOps = null;
    try {
      if (relu) {
        postOps = new dnnl_post_ops();
        check(dnnl_post_ops_create(postOps), "create post-ops");
        check(
            dnnl_post_ops_append_eltwise(postOps, 1f, dnnl_eltwise_relu, 0f, 0f),
            "append a ReLU post-op");
        check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
      }
      dnnl_primitive_desc pd = new dnnl_primitive_desc();
      check(
          dnnl_primitive_desc_create(pd, op, attr, engine, null), "create a primitive for " + name);
      return pd;
    } finally {
      if (postOps != null) {
        dnnl_post_ops_destroy(postOps);
      }
      dnnl_primitive_attr_destroy(attr);
    }
  }

  private static dnnl_primitive_attr scratchpadAttr() {
    dnnl_primitive_attr attr = new dnnl_primitive_attr();
    check(dnnl_primitive_attr_create(attr), "create primitive attributes");
    check(
        dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user),
        "set a user scratchpad");
    return attr;
  }

  private void addExec(String label, dnnl_primitive_desc pd, List<Arg> args) {
    closers.push(() -> dnnl_primitive_desc_destroy(pd));
    for (Arg arg : args) {
      if (arg.read) {
        arg.value.lastUse = pending.size();
      }
    }
    implementations.merge(Dnnl.implementation(pd), 1, Integer::sum);
    dnnl_memory_desc_t scratchpad = Dnnl.query(pd, dnnl_query_scratchpad_md);
    pending.add(new PendingExec(label, pd, args, scratchpad));
  }

  /**
   * Buffers by liveness: walking the primitives in order, each output takes the smallest free
   * buffer that fits (or a new one), and a tensor's buffer is freed after its last reader. Input,
   * output and weights own theirs.
   */
  private void assignBuffers() {
    List<NativeBuffer> free = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      for (Arg arg : pending.get(i).args) {
        Value value = arg.value;
        if (!arg.read && value.buffer == null) {
          value.buffer = value.pooled ? take(free, value.bytes) : own(value.bytes);
          value.memory = memory(value.desc, value.buffer);
        }
      }
      for (Arg arg : pending.get(i).args) {
        if (arg.value.pooled && arg.value.lastUse == i && !free.contains(arg.value.buffer)) {
          free.add(arg.value.buffer);
        }
      }
      scratchpadBytes =
          Math.max(scratchpadBytes, dnnl_memory_desc_get_size(pending.get(i).scratchpad));
    }
    if (input.buffer == null) {
      input.buffer = own(input.bytes);
      input.memory = memory(input.desc, input.buffer);
    }
  }

  private NativeBuffer take(List<NativeBuffer> free, long bytes) {
    NativeBuffer best = null;
    for (NativeBuffer buffer : free) {
      if (buffer.bytes() >= bytes && (best == null || buffer.bytes() < best.bytes())) {
        best = buffer;
      }
    }
    if (best != null) {
      free.remove(best);
      return best;
    }
    activationBytes += bytes;
    return own(bytes);
  }

  private NativeBuffer own(long bytes) {
    NativeBuffer buffer = new NativeBuffer(bytes);
    closers.push(buffer::close);
    return buffer;
  }

  private void createPrimitives() {
    NativeBuffer scratch = scratchpadBytes > 0 ? own(scratchpadBytes) : null;
    for (PendingExec exec : pending) {
      dnnl_primitive primitive = new dnnl_primitive();
      check(dnnl_primitive_create(primitive, exec.pd), "create primitive " + exec.label);
      closers.push(() -> dnnl_primitive_destroy(primitive));
      boolean hasScratchpad = dnnl_memory_desc_get_size(exec.scratchpad) > 0;
      int count = exec.args.size() + (hasScratchpad ? 1 : 0);
      dnnl_exec_arg_t args = new dnnl_exec_arg_t(count);
      closers.push(args::close);
      for (int i = 0; i < exec.args.size(); i++) {
        args.position(i).arg(exec.args.get(i).kind).memory(exec.args.get(i).value.memory);
      }
      if (hasScratchpad) {
        args.position(count - 1).arg(DNNL_ARG_SCRATCHPAD).memory(memory(exec.scratchpad, scratch));
      }
      args.position(0);
      execs.add(new Exec(primitive, args, count));
    }
    pending.clear();
  }

  private dnnl_memory memory(dnnl_memory_desc_t desc, NativeBuffer buffer) {
    dnnl_memory memory = new dnnl_memory();
    check(dnnl_memory_create(memory, desc, engine, buffer.handle()), "create a memory object");
    closers.push(() -> dnnl_memory_destroy(memory));
    return memory;
  }

  private Value newValue(dnnl_memory_desc_t desc, boolean pooled) {
    Value value = new Value(desc, pooled);
    values.add(value);
    return value;
  }

  private long[] dims(Shape shape) {
    return new long[] {batch, shape.channels(), shape.height(), shape.width()};
  }

  private static long[] dims4(dnnl_memory_desc_t desc) {
    long[] dims = new long[4];
    desc.dims().get(dims);
    return dims;
  }

  private static dnnl_memory_desc_t copyOf(dnnl_memory_desc_t desc) {
    dnnl_memory_desc_t copy = new dnnl_memory_desc_t();
    Pointer.memcpy(copy, desc, copy.sizeof());
    return copy;
  }

  @Override
  public synchronized void close() {
    closed = true;
    while (!closers.isEmpty()) {
      closers.pop().run();
    }
    execs.clear();
  }
}

package dev.negbench.model;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights of a PyTorch model exported to ONNX, under their Hugging Face names. {@code
 * torch.onnx.export} keeps the names of parameters it feeds straight into an op (embeddings,
 * biases, LayerNorm), but a Linear's weight reaches its MatMul transposed, as a new initializer
 * {@code onnx::MatMul_N} of shape [in, out]; the MatMul node is named after its module ({@code
 * /encoder/layer.0/attention/self/query/MatMul}), which gives the weight's name back, and
 * transposing gives PyTorch's [out, in]. Newer exporters also rename biases, LayerNorm and
 * embedding weights (and share equal constants, such as the zero biases of a new model, between
 * nodes); those are named by the Add, LayerNormalization or Gather node that uses them.
 *
 * <p>ONNX Runtime's Java API does not expose initializers, so this reads the protobuf itself: only
 * ModelProto.graph, GraphProto.node and .initializer, NodeProto's inputs, name and op type, and
 * TensorProto's dims, data type, name and float data (raw_data or float_data).
 */
public final class OnnxWeights {
  private static final int FLOAT = 1;

  private OnnxWeights() {}

  /** The Hugging Face state dict recovered from {@code model.onnx}. */
  public static Map<String, SafeTensors.Tensor> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, 0, "file not found; expected an ONNX model");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Graph graph;
    try {
      graph = parseModel(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    } catch (RuntimeException e) {
      if (e instanceof DatasetFormatException d) {
        throw d;
      }
      throw new DatasetFormatException(
          file, 0, "expected an ONNX ModelProto: " + e.getMessage(), e);
    }
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (var e : graph.initializers.entrySet()) {
      if (!e.getKey().startsWith("onnx::")) {
        out.put(e.getKey(), new SafeTensors.Tensor(e.getValue().shape, e.getValue().data));
      }
    }
    for (Node n : graph.nodes) {
      // Exporters dedupe equal constants: a parameter equal to an earlier one (the zero biases of a
      // new model) is an Identity of it, named as the parameter.
      if (n.opType.equals("Identity")
          && n.inputs.size() == 1
          && n.outputs.size() == 1
          && graph.initializers.containsKey(n.inputs.get(0))
          && !n.outputs.get(0).startsWith("onnx::")
          && !n.outputs.get(0).startsWith("/")) {
        RawTensor t = graph.initializers.get(n.inputs.get(0));
        out.putIfAbsent(n.outputs.get(0), new SafeTensors.Tensor(t.shape, t.data));
      }
      String module = module(n.name);
      if (module == null) {
        continue;
      }
      List<String> in = n.inputs;
      switch (n.opType) {
        case "MatMul" -> {
          RawTensor t = anonymous(graph, in, 1);
          if (t != null) {
            if (t.shape.length != 2) {
              throw new DatasetFormatException(
                  file,
                  0,
                  "initializer "
                      + in.get(1)
                      + " feeding MatMul "
                      + n.name
                      + " has "
                      + t.shape.length
                      + " dimensions; expected 2");
            }
            out.putIfAbsent(module + ".weight", transpose(t));
          }
        }
        case "Add" -> {
          // The bias of a Linear whose weight went to a MatMul; identical constants (zero biases of
          // a freshly initialised model) are shared by several nodes, hence one per node.
          for (int k = 0; k < in.size(); k++) {
            RawTensor t = anonymous(graph, in, k);
            if (t != null && t.shape.length == 1) {
              out.putIfAbsent(module + ".bias", new SafeTensors.Tensor(t.shape, t.data));
            }
          }
        }
        case "LayerNormalization" -> {
          RawTensor w = anonymous(graph, in, 1);
          RawTensor b = anonymous(graph, in, 2);
          if (w != null) {
            out.putIfAbsent(module + ".weight", new SafeTensors.Tensor(w.shape, w.data));
          }
          if (b != null) {
            out.putIfAbsent(module + ".bias", new SafeTensors.Tensor(b.shape, b.data));
          }
        }
        case "Gather" -> {
          RawTensor t = anonymous(graph, in, 0);
          if (t != null && t.shape.length == 2) {
            out.putIfAbsent(module + ".weight", new SafeTensors.Tensor(t.shape, t.data));
          }
        }
        default -> {
          // other ops carry no weights of their own
        }
      }
    }
    return out;
  }

  /**
   * "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query"; null
   * without a module.
   */
  private static String module(String nodeName) {
    String path = nodeName.startsWith("/") ? nodeName.substring(1) : nodeName;
    int cut = path.lastIndexOf('/');
    return cut <= 0 ? null : path.substring(0, cut).replace('/', '.');
  }

  /**
   * The k-th input when it is an initializer the exporter renamed ({@code onnx::...}), else null.
   */
  private static RawTensor anonymous(Graph graph, List<String> inputs, int k) {
    if (k >= inputs.size() || !inputs.get(k).startsWith("onnx::")) {
      return null;
    }
    return graph.initializers.get(inputs.get(k));
  }

  private static SafeTensors.Tensor transpose(RawTensor t) {
    int rows = (int) t.shape[0];
    int cols = (int) t.shape[1];
    float[] data = new float[t.data.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        data[c * rows + r] = t.data[r * cols + c];
      }
    }
    return new SafeTensors.Tensor(new long[] {cols, rows}, data);
  }

  /** A graph node: its name, operator and input and output names. */
  record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

  private record RawTensor(long[] shape, float[] data) {}

  /** The nodes in order and the float initializers by name (other initializers are left out). */
  record Graph(List<Node> nodes, Map<String, RawTensor> initializers) {}

  /** {@code file}'s graph: what a test inspects of an export (its operators, its float weights). */
  static Graph graph(Path file) throws IOException {
    return parseModel(
        file, ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN));
  }

  private static Graph parseModel(Path file, ByteBuffer buf) {
    Graph graph = null;
    while (buf.hasRemaining()) {
      long key = varint(buf);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 7 && wire == 2) { // ModelProto.graph
        graph = parseGraph(file, slice(buf));
      } else {
        skip(buf, wire);
      }
    }
    if (graph == null) {
      throw new DatasetFormatException(file, 0, "no graph in the ONNX model");
    }
    return graph;
  }

  private static Graph parseGraph(Path file, ByteBuffer buf) {
    List<Node> nodes = new ArrayList<>();
    Map<String, RawTensor> initializers = new LinkedHashMap<>();
    while (buf.hasRemaining()) {
      long key = varint(buf);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 1 && wire == 2) {
        nodes.add(parseNode(slice(buf)));
      } else if (field == 5 && wire == 2) {
        parseTensor(file, slice(buf), initializers);
      } else {
        skip(buf, wire);
      }
    }
    return new Graph(nodes, initializers);
  }

  private static Node parseNode(ByteBuffer buf) {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    while (buf.hasRemaining()) {
      long key = varint(buf);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (wire == 2 && field >= 1 && field <= 4) {
        String s = StandardCharsets.UTF_8.decode(slice(buf)).toString();
        switch (field) {
          case 1 -> inputs.add(s);
          case 2 -> outputs.add(s);
          case 3 -> name = s;
          default -> op = s;
        }
      } else {
        skip(buf, wire);
      }
    }
    return new Node(name, op, inputs, outputs);
  }

  private static void parseTensor(Path file, ByteBuffer buf, Map<String, RawTensor> into) {
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    ByteBuffer raw = null;
    List<Float> floats = new ArrayList<>();
    boolean external = false;
    while (buf.hasRemaining()) {
      long key = varint(buf);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (field == 1 && wire == 0) {
        dims.add(varint(buf));
      } else if (field == 1 && wire == 2) {
        ByteBuffer packed = slice(buf);
        while (packed.hasRemaining()) {
          dims.add(varint(packed));
        }
      } else if (field == 2 && wire == 0) {
        type = (int) varint(buf);
      } else if (field == 4 && wire == 2) {
        ByteBuffer packed = slice(buf).order(ByteOrder.LITTLE_ENDIAN);
        while (packed.hasRemaining()) {
          floats.add(packed.getFloat());
        }
      } else if (field == 4 && wire == 5) {
        floats.add(buf.getFloat());
      } else if (field == 8 && wire == 2) {
        name = StandardCharsets.UTF_8.decode(slice(buf)).toString();
      } else if (field == 9 && wire == 2) {
        raw = slice(buf).order(ByteOrder.LITTLE_ENDIAN);
      } else if (field == 13 && wire == 2) {
        external = true;
        skip(buf, wire);
      } else {
        skip(buf, wire);
      }
    }
    if (type != FLOAT) {
      return; // int64 constants (shapes, position ids): not weights
    }
    if (external) {
      throw new DatasetFormatException(
          file,
          0,
          "initializer "
              + name
              + " keeps its data in an external file; expected the weights inside model.onnx");
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    int n = Math.toIntExact(SafeTensors.Tensor.numel(shape));
    float[] data = new float[n];
    if (raw != null) {
      if (raw.remaining() != n * 4) {
        throw new DatasetFormatException(
            file,
            0,
            "initializer "
                + name
                + " has "
                + raw.remaining()
                + " bytes of raw data; expected "
                + n * 4);
      }
      raw.asFloatBuffer().get(data);
    } else {
      if (floats.size() != n) {
        throw new DatasetFormatException(
            file, 0, "initializer " + name + " has " + floats.size() + " floats; expected " + n);
      }
      for (int i = 0; i < n; i++) {
        data[i] = floats.get(i);
      }
    }
    into.put(name, new RawTensor(shape, data));
  }

  private static long varint(ByteBuffer buf) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = buf.get();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("malformed varint");
  }

  /** The next length-delimited field as its own buffer; the outer buffer moves past it. */
  private static ByteBuffer slice(ByteBuffer buf) {
    int length = Math.toIntExact(varint(buf));
    ByteBuffer s = buf.slice(buf.position(), length).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(buf.position() + length);
    return s;
  }

  private static void skip(ByteBuffer buf, int wire) {
    switch (wire) {
      case 0 -> varint(buf);
      case 1 -> buf.position(buf.position() + 8);
      case 2 -> slice(buf);
      case 5 -> buf.position(buf.position() + 4);
      default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
    }
  }
}

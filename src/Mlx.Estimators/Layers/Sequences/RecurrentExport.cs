using static TorchSharp.torch;

namespace Mlx.Estimators;

/// <summary>
/// ONNX export of SimpleRNN / LSTM / GRU layers (one direction or Bidirectional) as ONNX's RNN / LSTM / GRU operators.
/// ONNX orders gates LSTM i, o, f, c and GRU z, r, h, where PyTorch has i, f, g, o and r, z, n: the weight blocks are
/// permuted on the way out; GRU sets <c>linear_before_reset</c> (Keras' and PyTorch's reset-after formulation). With an
/// Embedding that masks zeros, each row's length (its non-zero ids) becomes the operator's <c>sequence_lens</c>.
/// </summary>
internal static class RecurrentExport
{
    public static void Export(OnnxExport export, RecurrentLayer layer, IReadOnlyList<RecurrentModule> directions, BidirectionalMerge merge)
    {
        var (opType, order) = layer switch
        {
            LstmLayer => ("LSTM", new long[] { 0, 3, 1, 2 }),
            GruLayer => ("GRU", new long[] { 1, 0, 2 }),
            _ => ("RNN", new long[] { 0 }),
        };
        int units = layer.Units, timesteps = export.Shape[1];
        long dirs = directions.Count;
        string w, r, b;
        using (no_grad())
        {
            using var wTensor = stack(directions.Select(d => Permute(d.CellWeights.InputWeight, order)).ToArray());
            using var rTensor = stack(directions.Select(d => Permute(d.CellWeights.RecurrentWeight, order)).ToArray());
            using var bTensor = stack(directions.Select(d => cat([Permute(d.CellWeights.InputBias, order), Permute(d.CellWeights.RecurrentBias, order)])).ToArray());
            w = export.Initializer("W", wTensor);
            r = export.Initializer("R", rTensor);
            b = export.Initializer("B", bTensor);
        }
        export.Apply("Transpose", [], OnnxExport.Ints("perm", 2, 0, 1)); // (N, F, T) → (T, N, F)
        var attributes = new List<Onnx.AttributeProto>
        {
            OnnxExport.Int("hidden_size", units),
            new() { Name = "direction", Type = Onnx.AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(dirs == 2 ? "bidirectional" : "forward") },
        };
        if (layer is GruLayer)
            attributes.Add(OnnxExport.Int("linear_before_reset", 1));
        var node = new Onnx.NodeProto { OpType = opType, Name = $"{export.Prefix}{opType}" };
        node.Input.AddRange([export.Current, w, r, b, export.SequenceLengths ?? ""]);
        string y = $"{export.Prefix}{opType}_Y", yh = $"{export.Prefix}{opType}_Y_h";
        node.Output.AddRange([y, yh]);
        node.Attribute.AddRange(attributes);
        export.Graph.Node.Add(node);
        if (layer.ReturnSequences)
        {
            // Y: (T, dirs, N, H) → (N, dirs, H, T), then the directions merged along the units.
            export.Current = export.Node("Transpose", [y], OnnxExport.Ints("perm", 2, 1, 3, 0));
            MergeDirections(export, dirs, merge, units, sequences: true);
            export.Shape = [merge == BidirectionalMerge.Concat ? (int)dirs * units : units, timesteps];
        }
        else
        {
            // Y_h: (dirs, N, H) → (N, dirs, H).
            export.Current = export.Node("Transpose", [yh], OnnxExport.Ints("perm", 1, 0, 2));
            MergeDirections(export, dirs, merge, units, sequences: false);
            export.Shape = [merge == BidirectionalMerge.Concat ? (int)dirs * units : units];
        }
    }

    private static void MergeDirections(OnnxExport export, long dirs, BidirectionalMerge merge, int units, bool sequences)
    {
        if (dirs == 1 || merge == BidirectionalMerge.Concat)
        {
            export.Apply("Reshape", [export.Longs("shape", sequences ? [0, dirs * units, -1] : [0, dirs * units])]);
            return;
        }
        // (N, dirs, H[, T]) reduced over the directions (opset 13: ReduceSum takes its axes as an input, the others as an attribute).
        var keep = OnnxExport.Int("keepdims", 0);
        if (merge == BidirectionalMerge.Sum)
            export.Apply("ReduceSum", [export.Longs("axes", 1)], keep);
        else
            export.Apply(merge == BidirectionalMerge.Multiply ? "ReduceProd" : "ReduceMean", [], OnnxExport.Ints("axes", 1), keep);
    }

    // Reorders the gate blocks of a (gates·H, …) weight or (gates·H) bias.
    private static Tensor Permute(Tensor weight, long[] order)
    {
        using var blocks = weight.detach().reshape([order.Length, -1]);
        using var index = tensor(order);
        using var permuted = blocks.index_select(0, index);
        return permuted.reshape(weight.shape);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Mlx.Vision.Onnx.Import;

/// <summary>
/// ONNX operators that move values without computing new ones: <c>Flatten</c>, <c>Reshape</c>, <c>Transpose</c>,
/// <c>Concat</c>, <c>Pad</c>, <c>Slice</c>, <c>Identity</c>, <c>Constant</c>, <c>ConstantOfShape</c>, and the
/// <c>Shape</c>/<c>Gather</c>/<c>Unsqueeze</c>/<c>Squeeze</c>/<c>Cast</c> chains exporters emit to compute a reshape's
/// target (or a pad's widths) from the input's size.
/// </summary>
internal static class ShapeOperators
{
    public static void Register(IDictionary<string, OnnxOperator> registry)
    {
        registry["Flatten"] = Flatten;
        registry["Reshape"] = Reshape;
        registry["Transpose"] = Transpose;
        registry["Concat"] = (node, inputs, _) => [torch.cat(inputs.Select(t => t!).ToArray(), Axis(node.Int("axis", 0), inputs[0]!.dim()))];
        registry["Pad"] = Pad;
        registry["Identity"] = (_, inputs, _) => [inputs[0]!.alias()];
        registry["Constant"] = Constant;
        registry["ConstantOfShape"] = ConstantOfShape;
        registry["Slice"] = Slice;
        registry["Shape"] = Shape;
        registry["Gather"] = Gather;
        registry["Unsqueeze"] = Unsqueeze;
        registry["Squeeze"] = Squeeze;
        registry["Cast"] = (node, inputs, _) => [inputs[0]!.to_type(OnnxTensors.ScalarTypeOf(node.Int("to", 1), node.Name), copy: true)];
    }

    private static long Axis(long axis, long rank) => axis < 0 ? axis + rank : axis;

    private static Tensor[] Flatten(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long axis = Axis(node.Int("axis", 1), x.dim());
        long rows = x.shape[..(int)axis].Aggregate(1L, (a, b) => a * b);
        return [x.reshape(rows, -1)];
    }

    // A 0 copies the input's size on that axis (unless allowzero), −1 is inferred.
    private static Tensor[] Reshape(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long[] shape = node.Opset >= 5 ? OnnxTensors.Longs(inputs[1]!) : node.Ints("shape") ?? throw node.Unsupported("shape is missing.");
        if (node.Int("allowzero", 0) == 0)
        {
            for (int i = 0; i < shape.Length; i++)
                if (shape[i] == 0)
                    shape[i] = x.shape[i];
        }
        return [x.reshape(shape)];
    }

    private static Tensor[] Transpose(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long[] permutation = node.Ints("perm") ?? Enumerable.Range(0, (int)x.dim()).Reverse().Select(a => (long)a).ToArray();
        return [x.permute(permutation)];
    }

    private static Tensor[] Pad(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        int rank = (int)x.dim();
        long[] pads = node.Opset >= 11 ? OnnxTensors.Longs(inputs[1]!) : node.Ints("pads") ?? throw node.Unsupported("pads is missing.");
        double value = node.Opset >= 11
            ? inputs.Length > 2 && inputs[2] is { } v ? v.to_type(ScalarType.Float64).item<double>() : 0
            : node.Float("value", 0);
        long[] axes = node.Opset >= 18 && inputs.Length > 3 && inputs[3] is { } a
            ? OnnxTensors.Longs(a).Select(axis => Axis(axis, rank)).ToArray()
            : Enumerable.Range(0, rank).Select(axis => (long)axis).ToArray();
        var begin = new long[rank];
        var end = new long[rank];
        for (int i = 0; i < axes.Length; i++)
        {
            begin[axes[i]] = pads[i];
            end[axes[i]] = pads[axes.Length + i];
        }
        var mode = node.Text("mode", "constant") switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            var other => throw node.Unsupported($"pad mode '{other}' is not supported (constant, reflect and edge are)."),
        };
        // F.pad lists the last axis first and stops at the first axis that is padded.
        int first = Array.FindIndex(begin.Zip(end).ToArray(), p => p.First != 0 || p.Second != 0);
        if (first < 0)
            return [x.alias()];
        if (mode != PaddingModes.Constant && first < rank - 2)
            throw node.Unsupported($"{mode} padding of axis {first} is not supported (only the last two axes can be padded in that mode).");
        var torchPads = new List<long>();
        for (int axis = rank - 1; axis >= first; axis--)
        {
            torchPads.Add(begin[axis]);
            torchPads.Add(end[axis]);
        }
        return [nn.functional.pad(x, torchPads.ToArray(), mode, value)];
    }

    private static Tensor[] Constant(OnnxNode node, Tensor?[] inputs, bool training)
    {
        if (node.TensorAttribute("value") is { } t)
            return [OnnxTensors.ToTorch(t)];
        if (node.Has("value_float"))
            return [torch.tensor(node.Float("value_float", 0))];
        if (node.Floats("value_floats") is { } floats)
            return [torch.tensor(floats)];
        if (node.Has("value_int"))
            return [torch.tensor(node.Int("value_int", 0))];
        if (node.Ints("value_ints") is { } ints)
            return [torch.tensor(ints)];
        throw node.Unsupported("only tensor, float(s) and int(s) constants are supported.");
    }

    private static Tensor[] ConstantOfShape(OnnxNode node, Tensor?[] inputs, bool training)
    {
        long[] shape = OnnxTensors.Longs(inputs[0]!);
        if (node.TensorAttribute("value") is not { } proto)
            return [torch.zeros(shape)];
        using var value = OnnxTensors.ToTorch(proto);
        using var first = value.flatten()[0].to_type(ScalarType.Float64);
        return [torch.full(shape, first.item<double>(), value.dtype)];
    }

    // Opset 10 moved starts, ends and axes to inputs and added steps. Bounds are clamped as ONNX (and numpy) clamp them.
    private static Tensor[] Slice(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long[] Input(int index) => inputs.Length > index && inputs[index] is { } t ? OnnxTensors.Longs(t) : [];
        long[] starts = node.Opset >= 10 ? Input(1) : node.Ints("starts") ?? [];
        long[] ends = node.Opset >= 10 ? Input(2) : node.Ints("ends") ?? [];
        long[] axes = node.Opset >= 10 ? Input(3) : node.Ints("axes") ?? [];
        long[] steps = node.Opset >= 10 ? Input(4) : [];
        if (axes.Length == 0)
            axes = Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        var result = x.alias();
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = Axis(axes[i], x.dim()), size = x.shape[axis];
            long step = steps.Length > i ? steps[i] : 1;
            if (step == 0)
                throw node.Unsupported("a slice step of 0 is not valid ONNX.");
            Tensor next;
            if (step > 0)
            {
                long start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size);
                long end = Math.Clamp(ends[i] < 0 ? ends[i] + size : ends[i], 0, size);
                next = result.slice(axis, start, Math.Max(start, end), step);
            }
            else
            {
                // Backwards (exporters reverse pad lists this way): start clamps to [0, size − 1], end to [−1, size − 1].
                long start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size - 1);
                long end = Math.Clamp(ends[i] < 0 && ends[i] > long.MinValue / 2 ? ends[i] + size : ends[i], -1, size - 1);
                using var indices = start > end ? torch.arange(start, end, step, ScalarType.Int64) : torch.empty(0, ScalarType.Int64);
                next = result.index_select(axis, indices);
            }
            result.Dispose();
            result = next;
        }
        return [result];
    }

    // Opset 15 added start and end (a slice of the shape).
    private static Tensor[] Shape(OnnxNode node, Tensor?[] inputs, bool training)
    {
        long[] shape = inputs[0]!.shape;
        long rank = shape.Length;
        long start = Math.Clamp(Axis(node.Int("start", 0), rank), 0, rank);
        long end = Math.Clamp(Axis(node.Int("end", rank), rank), 0, rank);
        return [torch.tensor(shape[(int)start..(int)Math.Max(start, end)])];
    }

    // numpy.take: out shape = data.shape[:axis] + indices.shape + data.shape[axis+1:]; negative indices count from the end.
    private static Tensor[] Gather(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var data = inputs[0]!;
        var indices = inputs[1]!;
        long axis = Axis(node.Int("axis", 0), data.dim());
        using var asLong = indices.to_type(ScalarType.Int64);
        using var wrapped = torch.where(asLong < 0, asLong + data.shape[axis], asLong);
        using var flat = wrapped.flatten();
        using var picked = data.index_select(axis, flat);
        long[] shape = [.. data.shape[..(int)axis], .. indices.shape, .. data.shape[(int)(axis + 1)..]];
        return [picked.reshape(shape)];
    }

    // Opset 13 moved axes from an attribute to an input.
    private static long[]? AxesOf(OnnxNode node, Tensor?[] inputs) =>
        node.Opset >= 13 ? inputs.Length > 1 && inputs[1] is { } a ? OnnxTensors.Longs(a) : null : node.Ints("axes");

    private static Tensor[] Unsqueeze(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long[] axes = AxesOf(node, inputs) ?? throw node.Unsupported("axes is missing.");
        long rank = x.dim() + axes.Length;
        var result = x.alias();
        foreach (long axis in axes.Select(a => Axis(a, rank)).Order())
        {
            var next = result.unsqueeze(axis);
            result.Dispose();
            result = next;
        }
        return [result];
    }

    private static Tensor[] Squeeze(OnnxNode node, Tensor?[] inputs, bool training)
    {
        var x = inputs[0]!;
        long[]? axes = AxesOf(node, inputs);
        if (axes is null)
            return [x.squeeze()];
        var result = x.alias();
        foreach (long axis in axes.Select(a => Axis(a, x.dim())).OrderDescending())
        {
            var next = result.squeeze(axis);
            result.Dispose();
            result = next;
        }
        return [result];
    }
}

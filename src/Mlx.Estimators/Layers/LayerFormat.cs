namespace Mlx.Estimators;

/// <summary>The saved form of a layer stack: a count, then each layer's kind and fields (written by the layer itself).</summary>
internal static class LayerFormat
{
    public static void Write(BinaryWriter w, IReadOnlyList<Layer> layers)
    {
        w.Write(layers.Count);
        foreach (var layer in layers)
            layer.Write(w);
    }

    public static IReadOnlyList<Layer> Read(BinaryReader r)
    {
        int count = r.ReadInt32();
        var layers = new List<Layer>(count);
        for (int i = 0; i < count; i++)
        {
            byte kind = r.ReadByte();
            layers.Add(kind switch
            {
                DenseLayer.Kind => DenseLayer.Read(r),
                DropoutLayer.Kind => DropoutLayer.Read(r),
                FlattenLayer.Kind => new FlattenLayer(),
                Conv2DLayer.Kind => Conv2DLayer.Read(r),
                Pool2DLayer.SavedKind => Pool2DLayer.Read(r),
                GlobalPool2DLayer.SavedKind => GlobalPool2DLayer.Read(r),
                BatchNormalizationLayer.Kind => BatchNormalizationLayer.Read(r),
                SpatialDropout2DLayer.Kind => SpatialDropout2DLayer.Read(r),
                SeparableConv2DLayer.Kind => SeparableConv2DLayer.Read(r),
                Conv1DLayer.Kind => Conv1DLayer.Read(r),
                Pool1DLayer.SavedKind => Pool1DLayer.Read(r),
                GlobalPool1DLayer.SavedKind => GlobalPool1DLayer.Read(r),
                _ => throw new InvalidDataException($"Unknown layer kind {kind} in a saved neural network."),
            });
        }
        return layers;
    }
}

namespace Mlx.Estimators;

/// <summary>
/// The saved form of a layer stack: a count, then each layer's kind and fields (written by the layer itself). Layers
/// defined in other Mlx assemblies (a pretrained backbone in Mlx.Vision) write <see cref="ExtensionKind"/>, their type's
/// name and their fields; reading loads that type and calls its static <c>Read(BinaryReader)</c>.
/// </summary>
internal static class LayerFormat
{
    public const byte ExtensionKind = 255;

    /// <summary>Writes the header of a layer defined outside this assembly.</summary>
    public static void WriteExtension(BinaryWriter w, Layer layer)
    {
        w.Write(ExtensionKind);
        w.Write($"{layer.GetType().FullName}, {layer.GetType().Assembly.GetName().Name}");
    }

    private static Layer ReadExtension(BinaryReader r)
    {
        string typeName = r.ReadString();
        var type = Type.GetType(typeName)
            ?? throw new InvalidDataException($"The saved network has a layer of type '{typeName}', which is not available. Reference the package that defines it (e.g. Mlx.Vision for pretrained backbones).");
        var read = type.GetMethod("Read", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, [typeof(BinaryReader)])
            ?? throw new InvalidDataException($"Layer type '{typeName}' has no static Read(BinaryReader) method.");
        return (Layer)read.Invoke(null, [r])!;
    }

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
                EmbeddingLayer.Kind => EmbeddingLayer.Read(r),
                SimpleRnnLayer.SavedKind or LstmLayer.SavedKind or GruLayer.SavedKind => RecurrentLayer.Read(kind, r),
                BidirectionalLayer.Kind => BidirectionalLayer.Read(r),
                ExtensionKind => ReadExtension(r),
                _ => throw new InvalidDataException($"Unknown layer kind {kind} in a saved neural network."),
            });
        }
        return layers;
    }
}

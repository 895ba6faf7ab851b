namespace Mlx.Estimators;

/// <summary>The saved form of a layer stack.</summary>
internal static class LayerFormat
{
    public static void Write(BinaryWriter w, IReadOnlyList<Layer> layers)
    {
        w.Write(layers.Count);
        foreach (var layer in layers)
        {
            switch (layer)
            {
                case DenseLayer d:
                    w.Write((byte)1);
                    w.Write(d.Units);
                    w.Write((byte)d.Activation);
                    w.Write(d.UseBias);
                    w.Write(d.Regularizer?.L1 ?? 0);
                    w.Write(d.Regularizer?.L2 ?? 0);
                    break;
                case DropoutLayer p:
                    w.Write((byte)2);
                    w.Write(p.Rate);
                    break;
                default:
                    throw new NotSupportedException($"Layer {layer} cannot be saved.");
            }
        }
    }

    public static IReadOnlyList<Layer> Read(BinaryReader r)
    {
        int count = r.ReadInt32();
        var layers = new List<Layer>(count);
        for (int i = 0; i < count; i++)
        {
            byte kind = r.ReadByte();
            if (kind == 1)
            {
                int units = r.ReadInt32();
                var activation = (Activation)r.ReadByte();
                bool bias = r.ReadBoolean();
                double l1 = r.ReadDouble(), l2 = r.ReadDouble();
                layers.Add(new DenseLayer(units, activation, l1 > 0 || l2 > 0 ? new Regularizer(l1, l2) : null, bias));
            }
            else if (kind == 2)
            {
                layers.Add(new DropoutLayer(r.ReadDouble()));
            }
            else
            {
                throw new InvalidDataException($"Unknown layer kind {kind} in a saved neural network.");
            }
        }
        return layers;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Mlx.Core.Data;

/// <summary>Builds the "SlotNames" annotation of an output vector column.</summary>
public static class SlotNames
{
    /// <summary>Annotations holding <paramref name="names"/> as slot names.</summary>
    public static DataViewSchema.Annotations Annotations(IReadOnlyList<string> names)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var memory = names.Select(n => n.AsMemory()).ToArray();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(memory.Length, memory);
        builder.AddSlotNames(memory.Length, getter);
        return builder.ToAnnotations();
    }
}

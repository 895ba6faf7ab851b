namespace Mlx.FeatureEngineering.Encoding;

/// <summary>
/// The categories of one slot in output order, which of them is dropped, and the lookups from a value to
/// its category (span-based for text, so transforming allocates nothing).
/// </summary>
internal sealed class SlotCategories
{
    public const int Unknown = -1;

    private readonly Dictionary<string, int> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private readonly Dictionary<double, int> _numbers = new();

    public SlotCategories(CategoryKind kind, string[] names, double[]? numbers, int dropped)
    {
        Kind = kind;
        Names = names;
        Dropped = dropped;
        _textLookup = _text.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < names.Length; i++)
        {
            if (kind == CategoryKind.Text)
                _text[names[i]] = i;
            else if (kind == CategoryKind.Number)
                _numbers[numbers![i]] = i;
        }
        Numbers = numbers;
    }

    public CategoryKind Kind { get; }

    /// <summary>Category names in category order.</summary>
    public string[] Names { get; }

    /// <summary>The numeric values of a Number slot, in category order.</summary>
    public double[]? Numbers { get; }

    /// <summary>The index of the dropped category, or −1.</summary>
    public int Dropped { get; }

    /// <summary>Output indicators of this slot.</summary>
    public int Width => Names.Length - (Dropped >= 0 ? 1 : 0);

    public int IndexOf(ReadOnlySpan<char> text) => _textLookup.TryGetValue(text, out int i) ? i : Unknown;

    public int IndexOf(double number) => _numbers.TryGetValue(number, out int i) ? i : Unknown;

    /// <summary>The indicator position of category <paramref name="index"/> within the slot, or −1 when it is the dropped one.</summary>
    public int PositionOf(int index) => index == Dropped ? -1 : Dropped >= 0 && index > Dropped ? index - 1 : index;

    /// <summary>The dropped category's name, or null.</summary>
    public string? DroppedName => Dropped >= 0 ? Names[Dropped] : null;

    public void Save(BinaryWriter writer)
    {
        writer.Write(Names.Length);
        for (int i = 0; i < Names.Length; i++)
        {
            writer.Write(Names[i]);
            if (Kind == CategoryKind.Number)
                writer.Write(Numbers![i]);
        }
        writer.Write(Dropped);
    }

    public static SlotCategories Load(BinaryReader reader, CategoryKind kind)
    {
        int count = reader.ReadInt32();
        if (count < 0)
            throw new InvalidDataException("Corrupt dummy-encoding categories in the model file.");
        var names = new string[count];
        var numbers = kind == CategoryKind.Number ? new double[count] : null;
        for (int i = 0; i < count; i++)
        {
            names[i] = reader.ReadString();
            if (numbers != null)
                numbers[i] = reader.ReadDouble();
        }
        return new SlotCategories(kind, names, numbers, reader.ReadInt32());
    }
}

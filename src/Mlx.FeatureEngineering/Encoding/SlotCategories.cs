namespace Mlx.FeatureEngineering.Encoding;

/// <summary>
/// The categories of one slot in output order, which of them is dropped, and the lookups from a value to
/// its category (span-based for text, so transforming allocates nothing). With infrequent levels grouped, the last
/// category is <see cref="InfrequentName"/> and every infrequent value looks up to it.
/// </summary>
internal sealed class SlotCategories
{
    public const int Unknown = -1;

    private readonly Dictionary<string, int> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;
    private readonly Dictionary<double, int> _numbers = new();

    /// <summary>The name of the category infrequent levels are grouped into (scikit-learn's).</summary>
    public const string InfrequentName = "infrequent_sklearn";

    /// <param name="kind">Text, number or key.</param>
    /// <param name="names">Category names in output order (the infrequent category last when there is one).</param>
    /// <param name="numbers">The numbers of a Number slot's frequent categories, in order.</param>
    /// <param name="dropped">The dropped category's index, or −1.</param>
    /// <param name="infrequent">Levels grouped into the infrequent category (names), or empty.</param>
    /// <param name="infrequentNumbers">Their numbers (Number slots).</param>
    public SlotCategories(CategoryKind kind, string[] names, double[]? numbers, int dropped, string[]? infrequent = null, double[]? infrequentNumbers = null)
    {
        Kind = kind;
        Names = names;
        Dropped = dropped;
        Infrequent = infrequent ?? [];
        InfrequentNumbers = infrequentNumbers;
        _textLookup = _text.GetAlternateLookup<ReadOnlySpan<char>>();
        int frequent = names.Length - (Infrequent.Length > 0 ? 1 : 0);
        for (int i = 0; i < frequent; i++)
        {
            if (kind == CategoryKind.Text)
                _text[names[i]] = i;
            else if (kind == CategoryKind.Number)
                _numbers[numbers![i]] = i;
        }
        for (int i = 0; i < Infrequent.Length; i++)
        {
            if (kind == CategoryKind.Text)
                _text[Infrequent[i]] = names.Length - 1;
            else if (kind == CategoryKind.Number)
                _numbers[infrequentNumbers![i]] = names.Length - 1;
        }
        Numbers = numbers;
    }

    /// <summary>Levels grouped into the infrequent category, sorted; empty when none is.</summary>
    public string[] Infrequent { get; }

    /// <summary>Their numbers (Number slots).</summary>
    public double[]? InfrequentNumbers { get; }

    /// <summary>The infrequent category's index (the last), or −1 when no level is grouped.</summary>
    public int InfrequentIndex => Infrequent.Length > 0 ? Names.Length - 1 : -1;

    public CategoryKind Kind { get; }

    /// <summary>Category names in category order.</summary>
    public string[] Names { get; }

    /// <summary>The numeric values of a Number slot's frequent categories, in category order.</summary>
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

    /// <summary>Writes the categories (format 0x00010002: the grouped infrequent levels after the dropped index).</summary>
    public void Save(BinaryWriter writer)
    {
        int frequent = Names.Length - (Infrequent.Length > 0 ? 1 : 0);
        writer.Write(Names.Length);
        for (int i = 0; i < Names.Length; i++)
        {
            writer.Write(Names[i]);
            if (Kind == CategoryKind.Number)
                writer.Write(i < frequent ? Numbers![i] : double.NaN);
        }
        writer.Write(Dropped);
        writer.Write(Infrequent.Length);
        for (int i = 0; i < Infrequent.Length; i++)
        {
            writer.Write(Infrequent[i]);
            if (Kind == CategoryKind.Number)
                writer.Write(InfrequentNumbers![i]);
        }
    }

    /// <param name="state">The component's saved state (sizes are checked against its bytes).</param>
    /// <param name="kind">The slot kind.</param>
    /// <param name="withInfrequent">Whether the format has the infrequent levels (written from 0x00010002).</param>
    public static SlotCategories Load(Mlx.Core.Persistence.SavedState state, CategoryKind kind, bool withInfrequent)
    {
        // A count, then per level its name (and its value for numeric categories): the categories, then the grouped ones.
        (string[] Names, double[]? Numbers) Levels(string entry)
        {
            int count = state.ReadCount(entry, 1);
            var names = new string[count];
            var numbers = kind == CategoryKind.Number ? new double[count] : null;
            for (int i = 0; i < count; i++)
            {
                names[i] = state.Reader.ReadString();
                if (numbers != null)
                    numbers[i] = state.Reader.ReadDouble();
            }
            return (names, numbers);
        }
        var (names, numbers) = Levels("categories");
        int dropped = state.Reader.ReadInt32();
        if (!withInfrequent)
            return new SlotCategories(kind, names, numbers, dropped);
        var (infrequent, infrequentNumbers) = Levels("infrequent categories");
        if (infrequent.Length > 0 && (names.Length == 0 || names[^1] != InfrequentName))
            throw Mlx.Core.Errors.MlxError.DamagedModel(state.Component, "infrequent categories", $"{infrequent.Length} grouped levels but no '{InfrequentName}' category");
        return new SlotCategories(kind, names, numbers, dropped, infrequent, infrequentNumbers);
    }
}

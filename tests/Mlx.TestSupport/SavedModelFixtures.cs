using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>
/// Models saved by earlier builds (tests/golden/models/&lt;ML.NET version&gt;/, written by tests/Mlx.ModelFixtures):
/// each must load with today's build and score its saved input exactly as the build that saved it did.
/// </summary>
public static class SavedModelFixtures
{
    /// <summary>The ML.NET versions whose builds saved fixtures.</summary>
    public static readonly string[] Versions = ["mlnet-5.0.1"];

    /// <summary>Loads <paramref name="name"/>.zip saved under <paramref name="version"/>, scores its input and compares every column bit for bit.</summary>
    public static void AssertLoadsAndScoresIdentically(string version, string name)
    {
        string folder = RepoPaths.Combine("tests", "golden", "models", version);
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(Path.Combine(folder, name + ".zip"), out var inputSchema);
        var input = ml.Data.LoadFromBinary(Path.Combine(folder, name + ".input.idv"));
        var expected = ml.Data.LoadFromBinary(Path.Combine(folder, name + ".output.idv"));
        Assert.NotNull(inputSchema);
        var actual = model.Transform(input);
        foreach (var column in expected.Schema)
        {
            var other = actual.Schema.GetColumnOrNull(column.Name);
            Assert.True(other.HasValue, $"{name}: column '{column.Name}' is missing from today's output");
            Assert.Equal(column.Type.ToString(), other.Value.Type.ToString());
            var want = Cells(expected, column);
            var got = Cells(actual, other.Value);
            Assert.Equal(want.Count, got.Count);
            for (int row = 0; row < want.Count; row++)
                Assert.True(want[row] == got[row], $"{name}: column '{column.Name}', row {row}: saved output {want[row]}, today {got[row]}");
        }
    }

    /// <summary>Every cell of a column as text that is exact for numbers (round-trip format, bits of NaN sign kept).</summary>
    private static List<string> Cells(IDataView data, DataViewSchema.Column column)
    {
        var type = column.Type;
        var raw = type is VectorDataViewType vector ? vector.ItemType.RawType : type.RawType;
        return raw switch
        {
            _ when raw == typeof(float) => Read<float>(data, column, v => BitConverter.SingleToInt32Bits(v).ToString("X8")),
            _ when raw == typeof(double) => Read<double>(data, column, v => BitConverter.DoubleToInt64Bits(v).ToString("X16")),
            _ when raw == typeof(uint) => Read<uint>(data, column, v => v.ToString()),
            _ when raw == typeof(bool) => Read<bool>(data, column, v => v.ToString()),
            _ when raw == typeof(int) => Read<int>(data, column, v => v.ToString()),
            _ when raw == typeof(ReadOnlyMemory<char>) => Read<ReadOnlyMemory<char>>(data, column, v => v.ToString()),
            _ => throw new NotSupportedException($"column '{column.Name}' of type {type}: add its cell reader"),
        };
    }

    private static List<string> Read<T>(IDataView data, DataViewSchema.Column column, Func<T, string> format)
    {
        var cells = new List<string>();
        using var cursor = data.GetRowCursor(new[] { column });
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            VBuffer<T> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                cells.Add(string.Join(",", value.DenseValues().Select(format)));
            }
        }
        else
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            while (cursor.MoveNext())
            {
                getter(ref value);
                cells.Add(format(value));
            }
        }
        return cells;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace Mlx.TestSupport;

/// <summary>
/// Models saved by earlier builds (tests/golden/models/&lt;ML.NET version&gt;/, written by tests/Mlx.ModelFixtures):
/// each must load with today's build and score its saved input as the build that saved it did.
/// </summary>
/// <remarks>
/// The reproducibility contract (README, "Reproducibility"): where the arithmetic is Mlx's own, a saved model scores
/// bit for bit alike on every x64 CPU; where libtorch (MKL/oneDNN) or ONNX Runtime do the arithmetic they pick kernels
/// by instruction set (AVX2 or AVX-512), whose sums round in another order: bit for bit on one machine, within
/// <see cref="KernelTolerance"/> across CPUs. The fixtures were saved on one machine and are checked on another.
/// </remarks>
public static class SavedModelFixtures
{
    /// <summary>The ML.NET versions whose builds saved fixtures.</summary>
    public static readonly string[] Versions = ["mlnet-5.0.1"];

    /// <summary>
    /// Relative difference allowed between CPUs where a native library picks ISA-specific kernels: of
    /// max(|expected|, 1e-3 · the column's largest magnitude), so that values near zero in a column of large ones are
    /// judged on the column's scale (a float32 dot product of n terms rounds to about n·2⁻²⁴ of its terms' magnitude).
    /// </summary>
    public const double KernelTolerance = 1e-4;

    /// <summary>
    /// Loads <paramref name="name"/>.zip saved under <paramref name="version"/>, scores its input and compares every
    /// column: bit for bit, or for float columns computed by libtorch or ONNX Runtime (<paramref name="nativeKernels"/>)
    /// within <see cref="KernelTolerance"/>.
    /// </summary>
    public static void AssertLoadsAndScoresIdentically(string version, string name, bool nativeKernels = false)
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
            if (nativeKernels && IsFloat(column.Type))
            {
                var wantValues = Floats(expected, column);
                var gotValues = Floats(actual, other.Value);
                Assert.Equal(wantValues.Count, gotValues.Count);
                double scale = 1e-3 * wantValues.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
                for (int i = 0; i < wantValues.Count; i++)
                {
                    double w = wantValues[i], g = gotValues[i];
                    bool same = w.Equals(g) || Math.Abs(w - g) <= KernelTolerance * Math.Max(Math.Abs(w), scale);
                    Assert.True(same, $"{name}: column '{column.Name}', value {i}: saved output {w:R}, today {g:R} (tolerance {KernelTolerance} relative)");
                }
                continue;
            }
            var want = Cells(expected, column);
            var got = Cells(actual, other.Value);
            Assert.Equal(want.Count, got.Count);
            for (int row = 0; row < want.Count; row++)
                Assert.True(want[row] == got[row], $"{name}: column '{column.Name}', row {row}: saved output {want[row]}, today {got[row]}");
        }
    }

    private static bool IsFloat(DataViewType type) => (type is VectorDataViewType v ? v.ItemType.RawType : type.RawType) == typeof(float);

    /// <summary>Every value of a float column (vector cells flattened), widened to double.</summary>
    private static List<double> Floats(IDataView data, DataViewSchema.Column column) =>
        Values<float>(data, column).SelectMany(cell => cell).Select(v => (double)v).ToList();

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

    private static List<string> Read<T>(IDataView data, DataViewSchema.Column column, Func<T, string> format) =>
        Values<T>(data, column).Select(cell => string.Join(",", cell.Select(format))).ToList();

    /// <summary>Every cell's values: a vector's dense values, or the one value of a scalar.</summary>
    private static List<T[]> Values<T>(IDataView data, DataViewSchema.Column column)
    {
        var cells = new List<T[]>();
        using var cursor = data.GetRowCursor(new[] { column });
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            VBuffer<T> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                cells.Add(value.DenseValues().ToArray());
            }
        }
        else
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            while (cursor.MoveNext())
            {
                getter(ref value);
                cells.Add([value]);
            }
        }
        return cells;
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>Which time-ordered part of a <see cref="TimeSeriesWindows"/> a view or a baseline covers.</summary>
public enum TimeSeriesSplit
{
    /// <summary>The first part of the series.</summary>
    Train,

    /// <summary>The part after it.</summary>
    Validation,

    /// <summary>The last part.</summary>
    Test,
}

/// <summary>
/// The book's time-series generator ("Deep Learning with Python" 6.3, Jena temperatures) as ML.NET data: each row is a
/// window of <see cref="Timesteps"/> past rows of the feature columns (every <c>step</c>-th of the last <c>lookback</c>
/// rows) and the target <c>delay</c> rows after the window's last row. The series is read once into memory; windows
/// are composed lazily when a cursor reads them (no copy of every window). Time-ordered splits: a window belongs to a
/// split when all its rows and its target lie inside it, so no window straddles a boundary.
/// </summary>
/// <remarks>
/// Columns of every view: <c>Features</c> (Single vector of features × timesteps, <b>feature-major</b>: all time steps of
/// the first column, then the second ..., oldest first — the channels-first layout Mlx's Conv1D reads with
/// <c>InputShape = <see cref="InputShape"/></c>; slot names <c>column@t-k</c>), <c>Label</c> (the target, Single) and
/// <c>Time</c> (the target's row number, Int64).
/// </remarks>
public sealed class TimeSeriesWindows
{
    private readonly float[][] _columns;          // per feature column, the whole series
    private readonly float[] _target;
    private readonly int[] _bounds;               // split boundaries: [0, trainEnd, validationEnd, rows]

    internal TimeSeriesWindows(IDataView data, IReadOnlyList<string> featureColumns, string targetColumn, int lookback, int step, int delay,
        double trainFraction, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (featureColumns is not { Count: > 0 })
            throw new ArgumentException("Give at least one feature column.", nameof(featureColumns));
        if (lookback < 1 || step < 1 || step > lookback || delay < 1)
            throw new ArgumentOutOfRangeException(nameof(lookback), $"lookback {lookback}, step {step}, delay {delay}: the window needs lookback ≥ step ≥ 1 and a delay of at least 1 row.");
        if (!(trainFraction > 0 && validationFraction >= 0 && trainFraction + validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), "The train and validation fractions must be positive and leave a test part (train + validation < 1).");
        FeatureColumns = featureColumns.ToArray();
        TargetColumn = targetColumn;
        Lookback = lookback;
        Step = step;
        Delay = delay;
        var names = FeatureColumns.Append(targetColumn).Distinct().ToArray();
        var series = ReadSeries(data, names);
        _columns = FeatureColumns.Select(c => series[c]).ToArray();
        _target = series[targetColumn];
        int rows = _target.Length;
        if (lookback + delay > rows)
            throw MlxError.CannotFit(targetColumn, $"the series has {rows} rows, fewer than lookback {lookback} + delay {delay}", "Use a shorter lookback or delay, or more data.");
        _bounds = [0, (int)(rows * trainFraction), (int)(rows * (trainFraction + validationFraction)), rows];
        SlotNames = FeatureColumns.SelectMany(c => Enumerable.Range(0, Timesteps).Select(t => $"{c}@t-{(Timesteps - 1 - t) * step}")).ToArray();
        foreach (var split in Enum.GetValues<TimeSeriesSplit>())
        {
            if (Count(split) == 0)
                throw MlxError.CannotFit(targetColumn, $"the {split} part ({_bounds[(int)split + 1] - _bounds[(int)split]} rows) is too short for one window of {lookback} rows + {delay}", "Use a shorter lookback or delay, other fractions, or more data.");
        }
    }

    /// <summary>The feature columns, in the order of the window's channels.</summary>
    public IReadOnlyList<string> FeatureColumns { get; }

    /// <summary>The target column.</summary>
    public string TargetColumn { get; }

    /// <summary>Rows looked back; every <see cref="Step"/>-th is kept.</summary>
    public int Lookback { get; }

    /// <summary>The sampling step inside the window.</summary>
    public int Step { get; }

    /// <summary>Rows from the window's last row to the target.</summary>
    public int Delay { get; }

    /// <summary>Time steps per window: ⌈lookback / step⌉.</summary>
    public int Timesteps => (Lookback + Step - 1) / Step;

    /// <summary>(features, timesteps): the <c>InputShape</c> of a Conv1D network reading the windows.</summary>
    public int[] InputShape => [FeatureColumns.Count, Timesteps];

    /// <summary>The slot names of <c>Features</c>: <c>column@t-k</c>, k rows before the window's last row.</summary>
    public IReadOnlyList<string> SlotNames { get; }

    /// <summary>The windows of a split, as a lazy data view.</summary>
    public IDataView this[TimeSeriesSplit split] => new TimeSeriesWindowView(this, split);

    /// <summary>The training windows.</summary>
    public IDataView Train => this[TimeSeriesSplit.Train];

    /// <summary>The validation windows.</summary>
    public IDataView Validation => this[TimeSeriesSplit.Validation];

    /// <summary>The test windows.</summary>
    public IDataView Test => this[TimeSeriesSplit.Test];

    /// <summary>Windows in a split.</summary>
    public int Count(TimeSeriesSplit split) => Math.Max(0, LastTarget(split) - FirstTarget(split) + 1);

    /// <summary>The target row of the split's first window: its window starts at the split's first row.</summary>
    internal int FirstTarget(TimeSeriesSplit split) => _bounds[(int)split] + Lookback - 1 + Delay;

    internal int LastTarget(TimeSeriesSplit split) => _bounds[(int)split + 1] - 1;

    /// <summary>The target series value at <paramref name="row"/>.</summary>
    internal float Target(int row) => _target[row];

    /// <summary>Writes the window whose target is row <paramref name="target"/>, feature-major, oldest first.</summary>
    internal void Window(int target, Span<float> values)
    {
        int last = target - Delay, timesteps = Timesteps;
        for (int c = 0; c < _columns.Length; c++)
        {
            var column = _columns[c];
            for (int t = 0; t < timesteps; t++)
                values[c * timesteps + t] = column[last - (timesteps - 1 - t) * Step];
        }
    }

    // Every needed column read once, as float; NaN or infinite values refused with the column and row.
    private static Dictionary<string, float[]> ReadSeries(IDataView data, string[] names)
    {
        var columns = names.Select(n =>
        {
            var column = data.Schema.GetColumnOrNull(n) ?? throw MlxError.MissingColumn(n, data.Schema.Select(c => c.Name), "featureColumns/targetColumn");
            if (column.Type != NumberDataViewType.Single && column.Type != NumberDataViewType.Double)
                throw MlxError.WrongColumnType(n, "a Single or Double number", column.Type.ToString() ?? "", "Convert it with ConvertType first; a time series column holds one number per row.");
            return column;
        }).ToArray();
        var values = names.Select(_ => new List<float>()).ToArray();
        using var cursor = data.GetRowCursor(columns);
        var getters = columns.Select<DataViewSchema.Column, Func<float>>(c =>
        {
            if (c.Type == NumberDataViewType.Single)
            {
                var g = cursor.GetGetter<float>(c);
                float v = 0;
                return () => { g(ref v); return v; };
            }
            var d = cursor.GetGetter<double>(c);
            double x = 0;
            return () => { d(ref x); return (float)x; };
        }).ToArray();
        long row = 0;
        while (cursor.MoveNext())
        {
            for (int i = 0; i < columns.Length; i++)
            {
                float v = getters[i]();
                if (!float.IsFinite(v))
                    throw MlxError.BadValue(MlxError.Where(names[i], cursorPosition: row), v, "a time series needs a value in every row (a gap shifts every later window)", "Fill or interpolate the missing rows first (e.g. ReplaceMissingValues), keeping one row per time step.");
                values[i].Add(v);
            }
            row++;
        }
        return names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => values[p.i].ToArray());
    }
}

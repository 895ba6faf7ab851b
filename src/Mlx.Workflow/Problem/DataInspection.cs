using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Mlx.FeatureEngineering;
using Mlx.Core.Data;

namespace Mlx.Workflow;

/// <summary>
/// Step 1, the data: one pass over the training and validation rows that gives every input column a
/// <see cref="ColumnKind"/> (numbers, categories, free text, image paths, timestamps, identifiers, constants) with the
/// statistics the preparation needs (missing rate, distinct values, skewness).
/// </summary>
internal static class DataInspection
{
    /// <summary>Distinct values are counted up to this many.</summary>
    private const int DistinctCap = 100_000;

    /// <summary>Text with at most this many distinct values (and at most a quarter of the rows) is categorical.</summary>
    public const int MaximumCategories = 100;

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <param name="data">The data.</param>
    /// <param name="excluded">Columns not to inspect (the label, ignored columns).</param>
    /// <param name="useRow">The rows to read by position; null reads every row.</param>
    public static IReadOnlyList<ColumnSummary> Inspect(IDataView data, ISet<string> excluded, bool[]? useRow)
    {
        var columns = data.Schema.Where(c => !c.IsHidden && !excluded.Contains(c.Name)).ToArray();
        var accumulators = columns.Select(Accumulator.For).ToArray();
        using (var cursor = data.GetRowCursor(columns.Where((c, i) => accumulators[i] is not null)))
        {
            var readers = columns.Select((c, i) => accumulators[i]?.Reader(cursor, c)).ToArray();
            while (cursor.MoveNext())
            {
                if (useRow is not null && (cursor.Position >= useRow.Length || !useRow[cursor.Position]))
                    continue;
                foreach (var read in readers)
                    read?.Invoke();
            }
        }
        return columns.Select((c, i) => accumulators[i]?.Summarize(c) ?? new ColumnSummary(c.Name, c.Type is VectorDataViewType { IsKnownSize: true } v && v.ItemType is NumberDataViewType
                ? ColumnKind.NumericVector : ColumnKind.Unsupported, TypeName(c.Type), c.Type.GetValueCount(), 0, 0, null,
                c.Type is VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType } ? "a known-size vector of numbers" : "a type the workflow does not prepare"))
            .ToArray();
    }

    /// <summary>The type's name: Single, String, Boolean, Vector&lt;Single, 784&gt;, Key&lt;UInt32, 0-9&gt;.</summary>
    public static string TypeName(DataViewType type) => type.ToString() ?? type.RawType.Name;

    /// <summary>Per-column statistics of a scalar column.</summary>
    private abstract class Accumulator
    {
        protected int Rows;
        protected int Missing;

        public static Accumulator? For(DataViewSchema.Column column) => column.Type switch
        {
            TextDataViewType => new TextAccumulator(),
            BooleanDataViewType or KeyDataViewType => new CategoryAccumulator(),
            NumberDataViewType => new NumberAccumulator(),
            DateTimeDataViewType or DateTimeOffsetDataViewType => new TimestampAccumulator(),
            _ => null,
        };

        public abstract Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column);

        public abstract ColumnSummary Summarize(DataViewSchema.Column column);

        protected double MissingRate => Rows == 0 ? 0 : (double)Missing / Rows;
    }

    private sealed class NumberAccumulator : Accumulator
    {
        private readonly HashSet<double> _distinct = [];
        private double _mean, _m2, _m3;
        private long _n;
        private bool _integers = true;
        private long _steps, _up, _down;
        private double _previous = double.NaN, _min = double.PositiveInfinity, _max = double.NegativeInfinity;

        public override Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var get = LabelReaders.Number(cursor, column);
            return () => Add(get());
        }

        private void Add(double x)
        {
            Rows++;
            if (double.IsNaN(x))
            {
                Missing++;
                return;
            }
            if (_distinct.Count < DistinctCap)
                _distinct.Add(x);
            _integers &= x == Math.Round(x);
            if (!double.IsNaN(_previous))
            {
                _steps++;
                if (x >= _previous)
                    _up++;
                if (x <= _previous)
                    _down++;
            }
            _previous = x;
            _min = Math.Min(_min, x);
            _max = Math.Max(_max, x);
            // Welford's update of the second and third central moments.
            long n1 = _n++;
            double delta = x - _mean, deltaN = delta / _n, term = delta * deltaN * n1;
            _mean += deltaN;
            _m3 += term * deltaN * (_n - 2) - 3 * deltaN * _m2;
            _m2 += term;
        }

        /// <summary>
        /// Why the numbers are a row identifier rather than a measurement, or null: a counter (integers that grow or fall
        /// with the row order, e.g. a reading number or a running id, mostly distinct), or a code (distinct integers that
        /// fill most of their range, e.g. a shuffled id). Their value says where a row sits in the file, not what it is.
        /// </summary>
        private string? IdentifierReason()
        {
            long present = Rows - Missing;
            if (!_integers || present <= 20 || _steps == 0)
                return null;
            double distinctShare = (double)_distinct.Count / present;
            double monotone = Math.Max(_up, _down) / (double)_steps;
            if (monotone >= CounterShare && distinctShare >= 0.5)
                return $"integers that {(_up >= _down ? "grow" : "fall")} with the row order in {monotone:P1} of consecutive rows ({distinctShare:P0} distinct): a counter or running id";
            if (_distinct.Count == present && _max - _min + 1 <= 2.0 * present)
                return $"distinct integers, one per row, filling {present / (_max - _min + 1):P0} of their range {_min.ToString(CultureInfo.InvariantCulture)}–{_max.ToString(CultureInfo.InvariantCulture)}: a row id";
            return null;
        }

        public override ColumnSummary Summarize(DataViewSchema.Column column)
        {
            double? skew = _n > 2 && _m2 > 0 ? Math.Sqrt(_n) * _m3 / Math.Pow(_m2, 1.5) : null;
            var (kind, reason) = _distinct.Count <= 1
                ? (ColumnKind.Constant, _distinct.Count == 0 ? "every value is missing" : $"every value is {_distinct.First().ToString(CultureInfo.InvariantCulture)}")
                : IdentifierReason() is { } why
                    ? (ColumnKind.Identifier, why)
                    : (ColumnKind.Numeric, "numbers");
            return new ColumnSummary(column.Name, kind, TypeName(column.Type), 1, MissingRate, _distinct.Count, kind == ColumnKind.Numeric ? skew : null, reason);
        }
    }

    /// <summary>A counter grows (or falls) with the row order in at least this share of consecutive rows.</summary>
    public const double CounterShare = 0.99;

    private sealed class CategoryAccumulator : Accumulator
    {
        private readonly HashSet<ulong> _distinct = [];

        public override Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            // Booleans read as 1/0 (0 is a value), keys as their index (0 is missing).
            bool boolean = column.Type is BooleanDataViewType;
            var read = LabelReaders.Number(cursor, column);
            return () =>
            {
                Rows++;
                double k = read();
                if (k == 0 && !boolean)
                    Missing++;
                else
                    _distinct.Add((ulong)k);
            };
        }

        public override ColumnSummary Summarize(DataViewSchema.Column column) =>
            _distinct.Count <= 1
                ? new ColumnSummary(column.Name, ColumnKind.Constant, TypeName(column.Type), 1, MissingRate, _distinct.Count, null, "one value in every row")
                : new ColumnSummary(column.Name, ColumnKind.Categorical, TypeName(column.Type), 1, MissingRate, _distinct.Count, null, column.Type is BooleanDataViewType ? "Boolean" : "key values");
    }

    private sealed class TimestampAccumulator : Accumulator
    {
        public override Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column) => () => Rows++;

        public override ColumnSummary Summarize(DataViewSchema.Column column) =>
            new(column.Name, ColumnKind.Timestamp, TypeName(column.Type), 1, 0, 0, null, "date/time values");
    }

    private sealed class TextAccumulator : Accumulator
    {
        private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
        private long _tokens, _images, _dates;

        public override Action Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            return () =>
            {
                get(ref value);
                Rows++;
                var span = value.Span.Trim();
                if (span.IsEmpty)
                {
                    Missing++;
                    return;
                }
                if (_distinct.Count < DistinctCap)
                    _distinct.Add(span.ToString());
                _tokens += Tokens(span);
                foreach (var extension in ImageExtensions)
                {
                    if (span.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                    {
                        _images++;
                        break;
                    }
                }
                if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    && DatePartsTransformer.Parse(span) is not null)
                    _dates++;
            };
        }

        private static int Tokens(ReadOnlySpan<char> text)
        {
            int tokens = 0;
            bool inToken = false;
            foreach (var c in text)
            {
                bool letter = !char.IsWhiteSpace(c);
                if (letter && !inToken)
                    tokens++;
                inToken = letter;
            }
            return tokens;
        }

        public override ColumnSummary Summarize(DataViewSchema.Column column)
        {
            long present = Rows - Missing;
            int distinct = _distinct.Count;
            double meanTokens = present == 0 ? 0 : (double)_tokens / present;
            (ColumnKind Kind, string Reason) verdict =
                distinct <= 1 ? (ColumnKind.Constant, distinct == 0 ? "every value is empty" : "one value in every row")
                : _images == present ? (ColumnKind.ImagePath, "every value names an image file")
                : _dates == present ? (ColumnKind.Timestamp, "every value is a date/time")
                : distinct <= MaximumCategories && distinct <= Math.Max(2, present / 4) ? (ColumnKind.Categorical, $"{distinct} distinct values")
                : meanTokens >= 2.5 ? (ColumnKind.Text, $"free text ({meanTokens:0.#} words on average, {distinct} distinct values)")
                : distinct >= 0.9 * present ? (ColumnKind.Identifier, $"short text, nearly one value per row ({distinct} distinct in {present} rows)")
                : (ColumnKind.Categorical, $"{distinct} distinct values (many: rare ones share the all-zero code)");
            return new ColumnSummary(column.Name, verdict.Kind, "String", 1, MissingRate, distinct, null, verdict.Reason);
        }
    }
}

using Microsoft.ML;
using Mlx.Core.Data;
using Mlx.Core.Errors;
using Mlx.Core.Numerics;

namespace Mlx.FeatureEngineering;

/// <summary>Catalog method <c>mlContext.Data.CheckLeakage(...)</c>.</summary>
public static class LeakageCheckCatalog
{
    /// <summary>
    /// Finds the rows of <paramref name="test"/> whose <paramref name="featureColumnName"/> equals, or lies within Euclidean
    /// <paramref name="maximumDistance"/> of, a row of <paramref name="train"/> (exact nearest-row search on all cores).
    /// Scale the features first when their units differ, so that the distance means something.
    /// </summary>
    public static LeakageReport CheckLeakage(this DataOperationsCatalog catalog, IDataView train, IDataView test, string featureColumnName = "Features", double maximumDistance = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!(maximumDistance >= 0))
            throw new ArgumentOutOfRangeException(nameof(maximumDistance), maximumDistance, "The distance must be 0 (exact duplicates) or more.");
        var (trainValues, d) = Read(train, featureColumnName, "train");
        var (testValues, testD) = Read(test, featureColumnName, "test");
        if (d != testD)
            throw MlxError.WrongColumnType(featureColumnName, $"{d} slots as in the training data", $"{testD} slots", "Transform both with the same pipeline.");
        long trainRows = trainValues.Length / Math.Max(1, d), testRows = testValues.Length / Math.Max(1, d);
        if (trainRows == 0 || testRows == 0)
            return new LeakageReport(trainRows, testRows, maximumDistance, []);
        var nearest = NearestNeighbors.Nearest(testValues, trainValues, d);
        var shared = new List<SharedRow>();
        for (int i = 0; i < nearest.Length; i++)
        {
            var (row, distance) = nearest[i];
            // Exactness by the values themselves (a squared distance of 0 in float can hide tiny differences).
            bool exact = testValues.AsSpan(i * d, d).SequenceEqual(trainValues.AsSpan(row * d, d));
            if (exact || distance <= maximumDistance)
                shared.Add(new SharedRow(i, row, exact ? 0 : Math.Max(distance, double.Epsilon)));
        }
        return new LeakageReport(trainRows, testRows, maximumDistance, shared);
    }

    private static (float[] Values, int Dimension) Read(IDataView data, string name, string which)
    {
        var column = SlotColumn.Resolve(data.Schema, name, "featureColumnName");
        var values = new List<float>();
        using var cursor = data.GetRowCursor([data.Schema[name]]);
        var read = DenseRowReader.Create<float>(cursor, data.Schema[name], column.IsVector, column.SlotCount);
        long row = 0;
        while (cursor.MoveNext())
        {
            var x = read();
            if (NonFinite.First(x) is int j)
                throw MlxError.BadValue(MlxError.Where(name, j, row: row), x[j], $"the {which} data has a missing or infinite value, which has no distance", "Impute or drop those rows first.");
            values.AddRange(x);
            row++;
        }
        return (values.ToArray(), column.SlotCount);
    }
}

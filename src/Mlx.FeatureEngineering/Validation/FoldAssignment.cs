using Microsoft.ML;
using Mlx.Core.Data;
using Mlx.Core.Errors;

namespace Mlx.FeatureEngineering;

/// <summary>Which fold each row tests in: plain, stratified or grouped K-fold, drawn per repeat.</summary>
internal static class FoldAssignment
{
    /// <summary>
    /// Folds 0 … k − 1 per row. Plain: the rows shuffled, then cut in k consecutive blocks (sizes differ by at most 1, as
    /// scikit-learn's <c>KFold(shuffle=True)</c>). Stratified: each class's rows shuffled and dealt to the folds in turn,
    /// each class starting where the previous one stopped, so each fold holds every class's count / k ± 1 and the fold
    /// sizes differ by at most 1. Grouped: whole groups, largest first, each to the fold with the fewest rows so far
    /// (scikit-learn's <c>GroupKFold</c>; not random).
    /// </summary>
    public static int[] Assign(int[]? classes, int[]? groups, int rows, int k, Random random)
    {
        var fold = new int[rows];
        if (groups != null)
        {
            int groupCount = groups.Max() + 1;
            if (groupCount < k)
                throw MlxError.CannotFit("the groups", $"there are {groupCount} groups for {k} folds", "Use at most as many folds as groups.");
            var sizes = new int[groupCount];
            foreach (int g in groups)
                sizes[g]++;
            var foldOfGroup = new int[groupCount];
            var load = new long[k];
            foreach (int g in Enumerable.Range(0, groupCount).OrderByDescending(g => sizes[g]).ThenBy(g => g))
            {
                int lightest = Array.IndexOf(load, load.Min());
                foldOfGroup[g] = lightest;
                load[lightest] += sizes[g];
            }
            for (int i = 0; i < rows; i++)
                fold[i] = foldOfGroup[groups[i]];
            return fold;
        }
        if (classes is null)
        {
            var order = Shuffled(Enumerable.Range(0, rows).ToArray(), random);
            for (int position = 0; position < rows; position++)
                fold[order[position]] = Block(position, rows, k);
            return fold;
        }
        int next = 0;
        foreach (var members in Enumerable.Range(0, classes.Max() + 1).Select(c => Enumerable.Range(0, rows).Where(i => classes[i] == c).ToArray()))
        {
            foreach (int i in Shuffled(members, random))
            {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    // Fold of the position-th row of a shuffled order: the first rows % k folds get one more row.
    private static int Block(int position, int rows, int k)
    {
        int small = rows / k, large = small + 1, extra = rows % k;
        return position < extra * large ? position / large : extra + (position - extra * large) / small;
    }

    private static int[] Shuffled(int[] items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    /// <summary>Per fold, each row's split marker: 1 when the row tests in that fold, 0 when it trains.</summary>
    public static float[][] Markers(int[] fold, int folds) =>
        Enumerable.Range(0, folds).Select(f => fold.Select(x => x == f ? 1f : 0f).ToArray()).ToArray();

    /// <summary>Each row's class (scikit-learn order) or group number from a column, one pass; missing values refused.</summary>
    /// <param name="data">The data.</param>
    /// <param name="columnName">The column.</param>
    /// <param name="argument">The parameter that named it, for a missing column's message.</param>
    /// <param name="role">What its values are, for a missing value's message.</param>
    public static int[] Codes(IDataView data, string columnName, string argument, string role)
    {
        var column = ClassLabelColumn.Resolve(data.Schema, columnName, argument, role);
        var codes = new List<int>();
        using var cursor = data.GetRowCursor([data.Schema[columnName]]);
        var read = column.MakeGetter(cursor);
        long row = 0;
        while (cursor.MoveNext())
            codes.Add(read(row++));
        var rank = column.ClassOf();
        return codes.Select(c => rank[c]).ToArray();
    }
}

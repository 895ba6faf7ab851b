using Mlx.Core.Errors;
using Mlx.FeatureEngineering;

namespace Mlx.Workflow;

/// <summary>
/// The rows of each role by position: the test split (held out until step 7), the training-and-validation rows, and the
/// protocol's (training, validation) pairs over them. Stratified by class for classification, by time when the rows
/// have timestamps; deterministic with the seed.
/// </summary>
internal sealed class DataSplits
{
    private DataSplits(int[] development, int[] test, IReadOnlyList<(int[] Train, int[] Validation)> folds)
    {
        Development = development;
        Test = test;
        Folds = folds;
    }

    /// <summary>The training and validation rows (ascending positions).</summary>
    public int[] Development { get; }

    /// <summary>The test rows (ascending positions).</summary>
    public int[] Test { get; }

    /// <summary>The protocol's (training, validation) row pairs.</summary>
    public IReadOnlyList<(int[] Train, int[] Validation)> Folds { get; }

    /// <param name="labelled">Rows with a label.</param>
    /// <param name="strata">Each row's class for stratification, or null.</param>
    /// <param name="timeOrder">The labelled rows in time order, or null.</param>
    /// <param name="testFraction">Share of rows for the test split.</param>
    /// <param name="protocolFor">The protocol for a number of development rows.</param>
    /// <param name="seed">Shuffling seed.</param>
    public static (DataSplits Splits, EvaluationProtocol Protocol) Create(int[] labelled, int[]? strata, int[]? timeOrder, double testFraction,
        Func<int, EvaluationProtocol> protocolFor, int seed)
    {
        if (labelled.Length < 20)
            throw MlxError.CannotFit("the data", $"there are {labelled.Length} labelled rows", "The workflow needs at least 20 labelled rows to hold out a test split and validate; collect more data.");
        var random = new Random(seed);
        int[] development, test;
        if (timeOrder is not null)
        {
            int testRows = Math.Max(1, (int)Math.Round(timeOrder.Length * testFraction));
            development = Sorted(timeOrder[..^testRows]);
            test = Sorted(timeOrder[^testRows..]);
        }
        else
        {
            int k = Math.Max(2, (int)Math.Round(1 / testFraction));
            var fold = FoldAssignment.Assign(Classes(strata, labelled), null, labelled.Length, k, random);
            development = labelled.Where((_, i) => fold[i] != 0).ToArray();
            test = labelled.Where((_, i) => fold[i] == 0).ToArray();
        }
        var protocol = protocolFor(development.Length);
        var folds = new List<(int[], int[])>();
        if (protocol.Kind == ProtocolKind.TimeOrderedHoldOut)
        {
            var inDevelopment = development.ToHashSet();
            var order = timeOrder!.Where(inDevelopment.Contains).ToArray();
            int validationRows = Math.Max(1, (int)Math.Round(order.Length * protocol.ValidationFraction));
            folds.Add((Sorted(order[..^validationRows]), Sorted(order[^validationRows..])));
        }
        else
        {
            int k = protocol.Kind == ProtocolKind.HoldOut ? Math.Max(2, (int)Math.Round(1 / protocol.ValidationFraction)) : protocol.Folds;
            for (int repeat = 0; repeat < protocol.Repeats; repeat++)
            {
                var fold = FoldAssignment.Assign(Classes(strata, development), null, development.Length, k, random);
                int used = protocol.Kind == ProtocolKind.HoldOut ? 1 : k;
                for (int f = 0; f < used; f++)
                    folds.Add((development.Where((_, i) => fold[i] != f).ToArray(), development.Where((_, i) => fold[i] == f).ToArray()));
            }
        }
        return (new DataSplits(development, test, folds), protocol);
    }

    /// <summary>
    /// Why a split cannot be scored, or null: a part (training, validation or test rows) holds fewer classes than
    /// the task needs — both classes of a binary task (AUC, precision-recall are undefined with one), two of a
    /// multiclass one. A time-ordered split can do that when the classes change over time (a news topic of one season).
    /// </summary>
    /// <param name="strata">Each row's class, or null for a task without classes (never a problem).</param>
    /// <param name="binary">Whether every part needs both classes.</param>
    public string? MissingClass(int[]? strata, bool binary)
    {
        if (strata is null)
            return null;
        int needed = binary ? 2 : Math.Min(2, Development.Concat(Test).Select(r => strata[r]).Where(c => c >= 0).Distinct().Count());
        string? Check(string part, int[] rows)
        {
            int classes = rows.Select(r => strata[r]).Where(c => c >= 0).Distinct().Count();
            return classes < needed ? $"its {part} ({rows.Length:N0} rows) hold{(rows.Length == 1 ? "s" : "")} {classes} class{(classes == 1 ? "" : "es")}" : null;
        }
        return Check("test rows", Test)
            ?? Folds.Select((f, i) => Check(Folds.Count == 1 ? "training rows" : $"fold {i + 1}'s training rows", f.Train)
                ?? Check(Folds.Count == 1 ? "validation rows" : $"fold {i + 1}'s validation rows", f.Validation)).FirstOrDefault(m => m is not null);
    }

    private static int[] Sorted(int[] rows)
    {
        var copy = (int[])rows.Clone();
        Array.Sort(copy);
        return copy;
    }

    // Class indices of the rows, renumbered 0..c-1 (FoldAssignment deals classes 0..max), or null.
    private static int[]? Classes(int[]? strata, int[] rows)
    {
        if (strata is null)
            return null;
        return rows.Select(r => strata[r]).ToArray();
    }
}

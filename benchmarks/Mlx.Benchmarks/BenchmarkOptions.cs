using System.Globalization;

namespace Mlx.Benchmarks;

/// <summary>Command-line options of the runner.</summary>
internal sealed record BenchmarkOptions(IReadOnlyList<string> Suites, double Scale, int Repetitions, bool RunReference)
{
    /// <summary>A data set's row count scaled as fe_bench.py scales it (at least 100).</summary>
    public int Rows(int full) => Math.Max(100, (int)Math.Round(full * Scale));

    public static BenchmarkOptions Parse(string[] args)
    {
        var suites = new List<string>();
        double scale = 1.0;
        int reps = 5;
        bool reference = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scale": scale = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-reference": reference = false; break;
                default: suites.Add(args[i]); break;
            }
        }
        return new BenchmarkOptions(suites, scale, reps, reference);
    }
}

/// <summary>One line of a result table.</summary>
internal sealed record BenchmarkResult(string Operation, string Data, double MlxSeconds, double? ReferenceSeconds, string Reference);

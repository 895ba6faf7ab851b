namespace Mlx.Benchmarks;

internal static class ResultTable
{
    public static void Print(IReadOnlyList<BenchmarkResult> results)
    {
        Console.WriteLine($"{"operation",-18} {"data",-22} {"Mlx s",9} {"reference s",12} {"ratio",7}  reference");
        foreach (var r in results)
        {
            string reference = r.ReferenceSeconds is double s ? $"{s,12:F3}" : $"{"n/a",12}";
            string ratio = r.ReferenceSeconds is double t ? $"{r.MlxSeconds / t,7:F3}" : $"{"n/a",7}";
            Console.WriteLine($"{r.Operation,-18} {r.Data,-22} {r.MlxSeconds,9:F3} {reference} {ratio}  {r.Reference}");
        }
        Console.WriteLine("ratio = Mlx seconds / reference seconds (below 1: Mlx is faster).");
    }
}

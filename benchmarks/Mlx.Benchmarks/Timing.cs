using System.Diagnostics;

namespace Mlx.Benchmarks;

internal static class Timing
{
    /// <summary>Untimed runs first: .NET's tiered JIT promotes hot per-row code to optimized tier-1 only after
    /// about 30 calls and a short delay, which one run does not reach (Python has nothing to warm).</summary>
    private const int WarmUps = 3;

    /// <summary>Median wall time of <paramref name="reps"/> runs after <see cref="WarmUps"/> warm-up runs.</summary>
    public static double Median(int reps, Action action)
    {
        var times = new List<double>();
        for (int r = 1 - WarmUps; r <= reps; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            action();
            if (r > 0)
                times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
    }
}

using System.Diagnostics;

namespace Mlx.Benchmarks;

internal static class Timing
{
    /// <summary>Median wall time of <paramref name="reps"/> runs after one warm-up (as the reference harness).</summary>
    public static double Median(int reps, Action action)
    {
        var times = new List<double>();
        for (int r = 0; r <= reps; r++)
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

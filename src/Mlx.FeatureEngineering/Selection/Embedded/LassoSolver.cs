namespace Mlx.FeatureEngineering.Selection.Embedded;

/// <summary>
/// Lasso by cyclic coordinate descent on the Gram matrix (scikit-learn's <c>Lasso(precompute=True)</c> path):
/// minimizes 1/(2n)·‖y − Xw − b‖² + α‖w‖₁; stops when the duality gap is ≤ tol·‖yc‖²/n, checking it (as
/// scikit-learn) once the largest coordinate change is below tol relative to the largest weight.
/// Each sweep costs O(d²), independent of the row count.
/// </summary>
internal static class LassoSolver
{
    public static (double[] Weights, int Sweeps, double Gap) Solve(StandardizedGram gram, double alpha, double tolerance, int maxSweeps)
    {
        var g = gram.G;
        var b = gram.B;
        int d = b.Length;
        var w = new double[d];
        var q = new double[d]; // q = G·w
        double gap = double.PositiveInfinity;
        int sweep = 0;
        while (sweep < maxSweeps)
        {
            double maxDelta = 0, maxWeight = 0;
            for (int j = 0; j < d; j++)
            {
                double gjj = g[j, j];
                if (gjj == 0)
                    continue;
                double rho = b[j] - q[j] + gjj * w[j];
                double updated = Math.Sign(rho) * Math.Max(Math.Abs(rho) - alpha, 0) / gjj;
                double delta = updated - w[j];
                if (delta != 0)
                {
                    for (int k = 0; k < d; k++)
                        q[k] += g[k, j] * delta;
                    w[j] = updated;
                }
                maxDelta = Math.Max(maxDelta, Math.Abs(delta));
                maxWeight = Math.Max(maxWeight, Math.Abs(updated));
            }
            sweep++;
            if (maxWeight == 0 || maxDelta / maxWeight < tolerance || sweep == maxSweeps)
            {
                gap = DualityGap(gram, w, q, alpha);
                if (gap <= tolerance * gram.YY)
                    break;
            }
        }
        return (w, sweep, gap);
    }

    /// <summary>scikit-learn's enet duality gap (l2 penalty 0), divided by n.</summary>
    private static double DualityGap(StandardizedGram gram, double[] w, double[] q, double alpha)
    {
        double wb = 0, wq = 0, l1 = 0, dualNorm = 0;
        for (int j = 0; j < w.Length; j++)
        {
            wb += w[j] * gram.B[j];
            wq += w[j] * q[j];
            l1 += Math.Abs(w[j]);
            dualNorm = Math.Max(dualNorm, Math.Abs(gram.B[j] - q[j])); // |Xᵀ R| / n
        }
        double residual2 = gram.YY - 2 * wb + wq;                       // ‖R‖² / n
        double scale = dualNorm > alpha ? alpha / dualNorm : 1.0;
        double gap = dualNorm > alpha ? 0.5 * (residual2 + residual2 * scale * scale) : residual2;
        return gap + alpha * l1 - scale * (gram.YY - wb);               // Rᵀy / n = yy − wᵀb
    }
}

namespace Mlx.Core.Numerics;

/// <summary>
/// One-dimensional minimization by Brent's method, step for step the algorithm of
/// <c>scipy.optimize.brent</c> (bracket search from two starting points, then golden-section
/// search with parabolic interpolation). Matching scipy's steps makes fitted parameters
/// (e.g. Box-Cox lambdas) agree with scikit-learn to the optimizer's tolerance.
/// </summary>
public static class BrentMinimizer
{
    private const double GoldenRatio = 1.618034;     // scipy's _gold
    private const double GoldenSection = 0.3819660;  // scipy's _cg
    private const double MinTolerance = 1.0e-11;     // scipy's _mintol
    private const double VerySmall = 1e-21;          // scipy's _verysmall_num

    /// <summary>The result of a minimization.</summary>
    /// <param name="X">The abscissa of the minimum found.</param>
    /// <param name="Value">The function value there.</param>
    /// <param name="Iterations">Brent iterations (after the bracket search).</param>
    /// <param name="Evaluations">Function evaluations in all.</param>
    public readonly record struct Result(double X, double Value, int Iterations, int Evaluations);

    /// <summary>
    /// Minimizes <paramref name="f"/> starting from the bracket guess (<paramref name="a"/>, <paramref name="b"/>),
    /// as <c>scipy.optimize.brent(f, brack=(a, b), tol=tol, maxiter=maxIterations)</c>.
    /// </summary>
    public static Result Minimize(Func<double, double> f, double a = -2.0, double b = 2.0,
        double tol = 1.48e-8, int maxIterations = 500)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (xa, xb, xc, fa, fb, fc, evaluations) = Bracket(f, a, b);
        // As scipy >= 1.11 (BracketError): a bracket that ran off to infinity or hit NaN has no minimum inside.
        if (!double.IsFinite(xa) || !double.IsFinite(xb) || !double.IsFinite(xc) || double.IsNaN(fb) || !(fb <= fa && fb <= fc))
            throw new InvalidOperationException($"Brent's method found no bracket around a minimum starting from ({a}, {b}): the objective decreases without bound or is NaN.");

        double x = xb, w = xb, v = xb;
        double fx = fb, fw = fb, fv = fb;
        double lo = Math.Min(xa, xc), hi = Math.Max(xa, xc);
        double deltax = 0.0, rat = 0.0;
        int iter = 0;
        while (iter < maxIterations)
        {
            double tol1 = tol * Math.Abs(x) + MinTolerance;
            double tol2 = 2.0 * tol1;
            double xmid = 0.5 * (lo + hi);
            if (Math.Abs(x - xmid) < tol2 - 0.5 * (hi - lo))
                break;
            if (Math.Abs(deltax) <= tol1)
            {
                deltax = x >= xmid ? lo - x : hi - x;
                rat = GoldenSection * deltax;
            }
            else
            {
                double tmp1 = (x - w) * (fx - fv);
                double tmp2 = (x - v) * (fx - fw);
                double p = (x - v) * tmp2 - (x - w) * tmp1;
                tmp2 = 2.0 * (tmp2 - tmp1);
                if (tmp2 > 0.0)
                    p = -p;
                tmp2 = Math.Abs(tmp2);
                double dxTemp = deltax;
                deltax = rat;
                if (p > tmp2 * (lo - x) && p < tmp2 * (hi - x) && Math.Abs(p) < Math.Abs(0.5 * tmp2 * dxTemp))
                {
                    rat = p / tmp2;
                    double u0 = x + rat;
                    if (u0 - lo < tol2 || hi - u0 < tol2)
                        rat = xmid - x >= 0 ? tol1 : -tol1;
                }
                else
                {
                    deltax = x >= xmid ? lo - x : hi - x;
                    rat = GoldenSection * deltax;
                }
            }

            double u = Math.Abs(rat) < tol1 ? (rat >= 0 ? x + tol1 : x - tol1) : x + rat;
            double fu = f(u);
            evaluations++;
            if (fu > fx)
            {
                if (u < x) lo = u; else hi = u;
                if (fu <= fw || w == x)
                {
                    v = w; w = u; fv = fw; fw = fu;
                }
                else if (fu <= fv || v == x || v == w)
                {
                    v = u; fv = fu;
                }
            }
            else
            {
                if (u >= x) lo = x; else hi = x;
                v = w; w = x; x = u;
                fv = fw; fw = fx; fx = fu;
            }
            iter++;
        }
        return new Result(x, fx, iter, evaluations);
    }

    /// <summary>scipy.optimize.bracket: walks downhill from (a, b) until f(xb) is below f(xa) and f(xc).</summary>
    private static (double xa, double xb, double xc, double fa, double fb, double fc, int evaluations) Bracket(
        Func<double, double> f, double xa, double xb, double growLimit = 110.0, int maxIterations = 1000)
    {
        double fa = f(xa), fb = f(xb);
        if (fa < fb)
        {
            (xa, xb) = (xb, xa);
            (fa, fb) = (fb, fa);
        }
        double xc = xb + GoldenRatio * (xb - xa);
        double fc = f(xc);
        int evaluations = 3, iter = 0;
        while (fc < fb)
        {
            double tmp1 = (xb - xa) * (fb - fc);
            double tmp2 = (xb - xc) * (fb - fa);
            double val = tmp2 - tmp1;
            double denom = Math.Abs(val) < VerySmall ? 2.0 * VerySmall : 2.0 * val;
            double w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
            double wlim = xb + growLimit * (xc - xb);
            if (iter > maxIterations)
                throw new InvalidOperationException("Brent bracket search did not find a minimum in " + maxIterations + " iterations: the objective decreases without bound.");
            iter++;
            double fw;
            if ((w - xc) * (xb - w) > 0.0)
            {
                fw = f(w);
                evaluations++;
                if (fw < fc)
                    return (xb, w, xc, fb, fw, fc, evaluations);
                if (fw > fb)
                    return (xa, xb, w, fa, fb, fw, evaluations);
                w = xc + GoldenRatio * (xc - xb);
                fw = f(w);
                evaluations++;
            }
            else if ((w - wlim) * (wlim - xc) >= 0.0)
            {
                w = wlim;
                fw = f(w);
                evaluations++;
            }
            else if ((w - wlim) * (xc - w) > 0.0)
            {
                fw = f(w);
                evaluations++;
                if (fw < fc)
                {
                    xb = xc; xc = w; w = xc + GoldenRatio * (xc - xb);
                    fb = fc; fc = fw;
                    fw = f(w);
                    evaluations++;
                }
            }
            else
            {
                w = xc + GoldenRatio * (xc - xb);
                fw = f(w);
                evaluations++;
            }
            xa = xb; xb = xc; xc = w;
            fa = fb; fb = fc; fc = fw;
        }
        return (xa, xb, xc, fa, fb, fc, evaluations);
    }
}

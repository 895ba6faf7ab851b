using System.Globalization;

namespace Mlx.Core.Plotting;

/// <summary>One line of a chart panel.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values (same length).</param>
/// <param name="Color">Line colour.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, (byte R, byte G, byte B) Color);

/// <summary>One panel: a title, an x-axis label and its lines.</summary>
public sealed record ChartPanel(string Title, string XLabel, IReadOnlyList<Series> Lines);

/// <summary>Line charts (panels side by side) written as PNG: axes with ticks, grid, markers and a legend.</summary>
public static class LineChart
{
    /// <summary>Blue, for training curves.</summary>
    public static readonly (byte, byte, byte) Blue = (31, 119, 180);

    /// <summary>Orange, for validation curves.</summary>
    public static readonly (byte, byte, byte) Orange = (255, 127, 14);

    private static readonly (byte, byte, byte) Black = (30, 30, 30), Grid = (225, 225, 225);

    /// <summary>Draws the panels side by side and saves the PNG.</summary>
    public static void Save(string path, IReadOnlyList<ChartPanel> panels, int panelWidth = 560, int height = 420)
    {
        var canvas = new Canvas(panelWidth * panels.Count, height);
        for (int p = 0; p < panels.Count; p++)
            Draw(canvas, panels[p], p * panelWidth, panelWidth, height);
        canvas.SavePng(path);
    }

    private static void Draw(Canvas canvas, ChartPanel panel, int left0, int width, int height)
    {
        const int Left = 70, Right = 20, Top = 40, Bottom = 50;
        int x0 = left0 + Left, x1 = left0 + width - Right, y0 = Top, y1 = height - Bottom;
        var points = panel.Lines.SelectMany(l => l.X.Zip(l.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        if (points.Count == 0)
            return;
        double xMin = points.Min(p => p.First), xMax = points.Max(p => p.First);
        double yMin = points.Min(p => p.Second), yMax = points.Max(p => p.Second);
        if (xMax == xMin) xMax = xMin + 1;
        if (yMax == yMin) { yMax += 0.5; yMin -= 0.5; }
        double pad = (yMax - yMin) * 0.05;
        yMin -= pad;
        yMax += pad;
        double X(double v) => x0 + (v - xMin) / (xMax - xMin) * (x1 - x0);
        double Y(double v) => y1 - (v - yMin) / (yMax - yMin) * (y1 - y0);

        foreach (double tick in Ticks(yMin, yMax))
        {
            canvas.Line(x0, Y(tick), x1, Y(tick), Grid);
            string label = tick.ToString("G3", CultureInfo.InvariantCulture);
            canvas.Text(x0 - 6 - Canvas.TextWidth(label), (int)Y(tick) - 3, label, Black);
        }
        foreach (double tick in Ticks(xMin, xMax).Where(t => Math.Abs(t - Math.Round(t)) < 1e-9))
        {
            canvas.Line(X(tick), y0, X(tick), y1, Grid);
            string label = tick.ToString("0", CultureInfo.InvariantCulture);
            canvas.Text((int)X(tick) - Canvas.TextWidth(label) / 2, y1 + 8, label, Black);
        }
        canvas.Line(x0, y0, x0, y1, Black);
        canvas.Line(x0, y1, x1, y1, Black);
        canvas.Line(x1, y0, x1, y1, Black);
        canvas.Line(x0, y0, x1, y0, Black);
        canvas.Text(left0 + (width - Canvas.TextWidth(panel.Title, 2)) / 2, 12, panel.Title, Black, 2);
        canvas.Text(x0 + (x1 - x0 - Canvas.TextWidth(panel.XLabel)) / 2, y1 + 26, panel.XLabel, Black);

        foreach (var line in panel.Lines)
        {
            for (int i = 1; i < line.X.Count; i++)
                canvas.Line(X(line.X[i - 1]), Y(line.Y[i - 1]), X(line.X[i]), Y(line.Y[i]), line.Color, thickness: 2);
            for (int i = 0; i < line.X.Count; i++)
                canvas.Fill((int)X(line.X[i]) - 2, (int)Y(line.Y[i]) - 2, 5, 5, line.Color);
        }
        // Legend, top right inside the axes.
        int legendY = y0 + 8;
        foreach (var line in panel.Lines)
        {
            int textWidth = Canvas.TextWidth(line.Name);
            int lx = x1 - 12 - textWidth - 26;
            canvas.Fill(lx - 4, legendY - 4, textWidth + 34, 15, (255, 255, 255));
            canvas.Line(lx, legendY + 3, lx + 18, legendY + 3, line.Color, thickness: 2);
            canvas.Text(lx + 24, legendY, line.Name, Black);
            legendY += 16;
        }
    }

    /// <summary>About five "nice" tick values (1, 2 or 5 × 10^k apart) within [min, max].</summary>
    private static IEnumerable<double> Ticks(double min, double max)
    {
        double raw = (max - min) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }
}

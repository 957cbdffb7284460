using System.Globalization;
using Latent.Evaluation;
using ScottPlot;

namespace Latent.Visuals;

/// <summary>
/// Minka's (2005) Figure 1 as two panels: (a) a density p with the Gaussians q minimising D_α(p‖q) for each α
/// drawn over it, (b) the forward KL(p‖q) fit (α = 1, moment matching) against the reverse KL(q‖p) fit (α = 0).
/// </summary>
public static class AlphaDivergencePlot
{
    /// <summary>
    /// Draws <paramref name="p"/> and the <paramref name="fits"/>; panel (b) uses the fits for α = 0 and α = 1
    /// from <paramref name="fits"/>, fitting them when they are not among them.
    /// </summary>
    public static PlotFigure Draw(GaussianMixture1D p, IReadOnlyList<AlphaGaussianFitResult> fits)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(fits);
        if (fits.Count == 0)
        {
            throw new ArgumentException("Give at least one fit to draw.", nameof(fits));
        }

        var forward = fits.FirstOrDefault(f => f.Alpha == 1) ?? AlphaGaussianFit.Fit(p, 1);
        var reverse = fits.FirstOrDefault(f => f.Alpha == 0) ?? AlphaGaussianFit.Fit(p, 0);
        double min = p.Components.Min(c => c.Mean - (4 * c.Sigma)), max = p.Components.Max(c => c.Mean + (4 * c.Sigma));
        foreach (var fit in fits.Append(forward).Append(reverse))
        {
            min = Math.Min(min, fit.Mean - (3.5 * fit.Sigma));
            max = Math.Max(max, fit.Mean + (3.5 * fit.Sigma));
        }

        double[] x = Enumerable.Range(0, 601).Select(i => min + ((max - min) * i / 600)).ToArray();
        var figure = new PlotFigure(1, 2, 560, 420);
        var left = figure[0, 0];
        DrawP(left, p, x);
        var ordered = fits.OrderBy(f => f.Alpha).ToArray();
        for (int i = 0; i < ordered.Length; i++)
        {
            DrawQ(left, ordered[i], x, Name(ordered[i].Alpha), PlotStyle.Colour(i), i % 2 == 1 ? LinePattern.Dashed : LinePattern.Solid);
        }

        left.Title("(a) q minimising D_α(p‖q)");
        Finish(left);

        var right = figure[0, 1];
        DrawP(right, p, x);
        DrawQ(right, forward, x, "forward KL(p‖q): moment matching", PlotStyle.Colour(3), LinePattern.Solid);
        DrawQ(right, reverse, x, "reverse KL(q‖p): mode seeking", PlotStyle.Colour(0), LinePattern.Dashed);
        right.Title("(b) forward against reverse KL");
        Finish(right);
        return figure;
    }

    /// <summary>The legend name of α: its value, and the limit or divergence it stands for.</summary>
    public static string Name(double alpha) => "α = " + alpha switch
    {
        <= -10 => Format(alpha) + " (→ −∞)",
        >= 10 => Format(alpha) + " (→ ∞)",
        0 => "0 (reverse KL)",
        1 => "1 (forward KL)",
        _ => Format(alpha),
    };

    private static string Format(double alpha) => alpha.ToString("0.###", CultureInfo.InvariantCulture).Replace("-", "−", StringComparison.Ordinal);

    // −0.001 would print as "-0.00".
    private static double Clean(double value) => Math.Abs(value) < 0.005 ? 0 : value;

    private static void DrawP(Plot plot, GaussianMixture1D p, double[] x)
    {
        double[] y = x.Select(v => Math.Exp(p.LogDensity(v))).ToArray();
        var fill = plot.Add.FillY(x, y, new double[x.Length]);
        fill.FillColor = Colors.Gray.WithAlpha(0.25);
        fill.LineWidth = 0;
        var line = plot.Add.ScatterLine(x, y, Colors.Black);
        line.LineWidth = 2.5f;
        line.LegendText = "p (mixture)";
    }

    private static void DrawQ(Plot plot, AlphaGaussianFitResult fit, double[] x, string name, Color colour, LinePattern pattern)
    {
        double[] y = x.Select(v => Math.Exp(GaussianMixture1D.GaussianLogDensity(v, fit.Mean, fit.Sigma))).ToArray();
        var line = plot.Add.ScatterLine(x, y, colour);
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name}: μ = {Clean(fit.Mean):0.00}, σ = {fit.Sigma:0.00}");
    }

    private static void Finish(Plot plot)
    {
        plot.XLabel("x");
        plot.YLabel("density");
        plot.Axes.Margins(0.02, 0.02, 0, 0.08);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontSize = 10;
    }
}

using System.Globalization;
using ScottPlot;

namespace Latent.Visuals;

/// <summary>A base-10 logarithmic y axis for ScottPlot panels: plot log₁₀ of the values and label the decades with the values themselves.</summary>
public static class LogAxis
{
    /// <summary>log₁₀ of every value, with values at or below <paramref name="floor"/> drawn at the floor (a log axis has no 0).</summary>
    public static double[] Log10(IEnumerable<double> values, double floor = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(floor);
        return [.. values.Select(v => Math.Log10(Math.Max(v, floor)))];
    }

    /// <summary>
    /// Labels the left axis of <paramref name="plot"/> (whose data are log₁₀ values) with one tick per decade from
    /// 10^<paramref name="lowDecade"/> to 10^<paramref name="highDecade"/>, each followed by <paramref name="unit"/>, and limits it to that range.
    /// </summary>
    public static void DecadesY(Plot plot, int lowDecade, int highDecade, string unit = "")
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lowDecade, highDecade);
        ArgumentNullException.ThrowIfNull(unit);
        var positions = Enumerable.Range(lowDecade, highDecade - lowDecade + 1).Select(d => (double)d).ToArray();
        var labels = positions.Select(d => Math.Pow(10, d).ToString("G4", CultureInfo.InvariantCulture) + unit).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.SetLimitsY(lowDecade, highDecade);
    }
}

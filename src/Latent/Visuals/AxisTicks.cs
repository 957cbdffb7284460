using System.Globalization;

namespace Latent.Visuals;

/// <summary>
/// Round tick values for a chart axis: multiples of 1, 2, 2.5 or 5 × 10ⁿ inside [min, max], about five of
/// them, labelled with just the decimals the step needs (so an epoch axis reads 0, 10, 20, not −0.16, 7.67).
/// </summary>
internal readonly struct AxisTicks
{
    private const int Target = 5;
    private readonly double _first;
    private readonly double _step;
    private readonly string _format;

    public AxisTicks(double min, double max)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            (_first, _step, Count, _format) = (min, 1, 1, "G4");
            return;
        }

        _step = NiceStep((max - min) / (Target - 1));
        _first = Math.Ceiling(min / _step) * _step;
        Count = (int)Math.Floor(((max - _first) / _step) + 1e-9) + 1;
        double magnitude = Math.Max(Math.Abs(min), Math.Abs(max));
        int decimals = Decimals(_step);
        _format = magnitude >= 1e6 || magnitude < 1e-3 ? "0.###E+0" : "F" + decimals.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Number of ticks.</summary>
    public int Count { get; }

    /// <summary>The value of tick <paramref name="index"/>, in increasing order.</summary>
    public double this[int index] => _first + (index * _step);

    /// <summary>The label for a tick value.</summary>
    public string Label(double value)
    {
        // A tick that rounds to zero prints as 0, never as −0.
        double shown = Math.Abs(value) < _step * 1e-9 ? 0 : value;
        return shown.ToString(_format, CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 and 10 × 10ⁿ at least <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (double mantissa in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (mantissa * power >= rough * (1 - 1e-9))
            {
                return mantissa * power;
            }
        }

        return 10 * power;
    }

    /// <summary>The fewest decimals that write <paramref name="step"/> (and so every multiple of it) exactly.</summary>
    private static int Decimals(double step)
    {
        int decimals = 0;
        while (decimals < 12 && Math.Abs((step * Math.Pow(10, decimals)) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6)
        {
            decimals++;
        }

        return decimals;
    }
}

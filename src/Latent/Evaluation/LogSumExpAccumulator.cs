namespace Latent.Evaluation;

/// <summary>A streamed log-sum-exp in double: add log-values one at a time, read log Σ exp.</summary>
/// <remarks>
/// Keeps the running maximum m and s = Σ exp(vᵢ − m); a new maximum rescales s by exp(m_old − m_new), so no
/// term overflows or underflows however many are added. <see cref="Value"/> is m + log s (−∞ when empty).
/// </remarks>
internal struct LogSumExpAccumulator
{
    private double _max;
    private double _sum;
    private bool _any;

    /// <summary>The number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>log Σ exp(vᵢ) over the values added; −∞ when none.</summary>
    public readonly double Value => _any ? _max + Math.Log(_sum) : double.NegativeInfinity;

    /// <summary>Adds one log-value.</summary>
    public void Add(double value)
    {
        Count++;
        if (double.IsNaN(value))
        {
            _max = double.NaN;
            _any = true;
            return;
        }

        if (!_any)
        {
            _max = value;
            _sum = 1;
            _any = true;
        }
        else if (value <= _max)
        {
            _sum += Math.Exp(value - _max);
        }
        else
        {
            _sum = (_sum * Math.Exp(_max - value)) + 1;
            _max = value;
        }
    }
}

using System.Globalization;

namespace Latent.Evaluation;

/// <summary>
/// A mixture of Gaussians on the real line, p(x) = Σₖ wₖ N(x; μₖ, σₖ²): the target densities of the
/// alpha-divergence fits (a single Gaussian is a mixture of one).
/// </summary>
public sealed class GaussianMixture1D
{
    private readonly (double Weight, double Mean, double Sigma)[] _components;

    /// <summary>A mixture of <paramref name="components"/>; the weights are normalised to sum to 1.</summary>
    public GaussianMixture1D(IReadOnlyList<(double Weight, double Mean, double Sigma)> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count == 0)
        {
            throw new ArgumentException("A mixture needs at least one component.", nameof(components));
        }

        foreach (var (weight, mean, sigma) in components)
        {
            if (!(weight > 0) || !double.IsFinite(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(components), weight, "A mixture weight must be positive and finite.");
            }

            if (!double.IsFinite(mean))
            {
                throw new ArgumentOutOfRangeException(nameof(components), mean, "A component mean must be finite.");
            }

            if (!(sigma > 0) || !double.IsFinite(sigma))
            {
                throw new ArgumentOutOfRangeException(nameof(components), sigma, "A component σ must be positive and finite.");
            }
        }

        double total = components.Sum(c => c.Weight);
        _components = components.Select(c => (c.Weight / total, c.Mean, c.Sigma)).ToArray();
        Mean = _components.Sum(c => c.Weight * c.Mean);
        Variance = _components.Sum(c => c.Weight * ((c.Sigma * c.Sigma) + (c.Mean * c.Mean))) - (Mean * Mean);
    }

    /// <summary>The components (weight, mean, σ), weights summing to 1.</summary>
    public IReadOnlyList<(double Weight, double Mean, double Sigma)> Components => _components;

    /// <summary>The mixture's mean Σₖ wₖ μₖ.</summary>
    public double Mean { get; }

    /// <summary>The mixture's variance Σₖ wₖ (σₖ² + μₖ²) − mean².</summary>
    public double Variance { get; }

    /// <summary>The mixture's standard deviation.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>A single Gaussian N(<paramref name="mean"/>, <paramref name="sigma"/>²).</summary>
    public static GaussianMixture1D Gaussian(double mean, double sigma) => new([(1.0, mean, sigma)]);

    /// <summary>log p(<paramref name="x"/>), computed by log-sum-exp over the components (finite far in the tails).</summary>
    public double LogDensity(double x)
    {
        double max = double.NegativeInfinity;
        Span<double> terms = _components.Length <= 16 ? stackalloc double[_components.Length] : new double[_components.Length];
        for (int k = 0; k < _components.Length; k++)
        {
            terms[k] = Math.Log(_components[k].Weight) + GaussianLogDensity(x, _components[k].Mean, _components[k].Sigma);
            max = Math.Max(max, terms[k]);
        }

        double sum = 0;
        foreach (double term in terms)
        {
            sum += Math.Exp(term - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>log N(<paramref name="x"/>; <paramref name="mean"/>, <paramref name="sigma"/>²).</summary>
    public static double GaussianLogDensity(double x, double mean, double sigma)
    {
        double z = (x - mean) / sigma;
        return (-0.5 * z * z) - Math.Log(sigma) - (0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>
    /// Parses <c>mixture:w,μ,σ;w,μ,σ;...</c> (weights normalised to sum to 1) or <c>gaussian:μ,σ</c>, numbers
    /// in invariant culture, e.g. <c>mixture:0.5,-2,0.6;0.5,2,0.6</c>.
    /// </summary>
    public static GaussianMixture1D Parse(string specification)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specification);
        string text = specification.Trim();
        int colon = text.IndexOf(':');
        string kind = colon < 0 ? text : text[..colon].Trim();
        string body = colon < 0 ? string.Empty : text[(colon + 1)..];
        switch (kind)
        {
            case "gaussian":
                {
                    double[] values = Numbers(body, specification);
                    if (values.Length != 2)
                    {
                        throw new FormatException($"'{specification}': a gaussian is gaussian:MEAN,SIGMA (e.g. gaussian:0,1).");
                    }

                    return Checked(() => Gaussian(values[0], values[1]), specification);
                }

            case "mixture":
                {
                    var components = new List<(double, double, double)>();
                    foreach (string part in body.Split(';', StringSplitOptions.TrimEntries))
                    {
                        double[] values = Numbers(part, specification);
                        if (values.Length != 3)
                        {
                            throw new FormatException($"'{specification}': each mixture component is WEIGHT,MEAN,SIGMA, components separated by ';' (e.g. mixture:0.5,-2,0.6;0.5,2,0.6); '{part}' is not.");
                        }

                        components.Add((values[0], values[1], values[2]));
                    }

                    return Checked(() => new GaussianMixture1D(components), specification);
                }

            default:
                throw new FormatException($"'{specification}' is not a density: use mixture:W,MEAN,SIGMA;W,MEAN,SIGMA;... or gaussian:MEAN,SIGMA.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(" + ", _components.Select(c =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Weight:0.###}·N({c.Mean:0.###}, {c.Sigma:0.###}²)")));

    private static double[] Numbers(string text, string specification)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new FormatException($"'{specification}': '{parts[i]}' is not a number.");
            }
        }

        return values;
    }

    private static GaussianMixture1D Checked(Func<GaussianMixture1D> create, string specification)
    {
        try
        {
            return create();
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new FormatException($"'{specification}': {exception.Message.Split(" (Parameter", 2)[0].Split(Environment.NewLine)[0]} ({exception.ActualValue}).", exception);
        }
    }
}

namespace Latent.Evaluation;

/// <summary>
/// The Nelder–Mead simplex method: a derivative-free, deterministic minimiser of a function of a few
/// parameters (reflection 1, expansion 2, contraction ½, shrink ½).
/// </summary>
/// <remarks>
/// Only the order of function values steers the moves, so any monotone transform of the objective gives the
/// same path; +∞ (or NaN, read as +∞) marks a point to move away from. It stops when the simplex is smaller
/// than <c>tolerance</c> in every coordinate and its values differ by less than tolerance · (1 + |best|), or
/// after <c>maxEvaluations</c>.
/// </remarks>
internal static class NelderMead
{
    /// <summary>Minimises <paramref name="function"/> from <paramref name="start"/>, the first simplex spanning <paramref name="steps"/>.</summary>
    /// <returns>The best point, its value and the number of evaluations.</returns>
    public static (double[] Point, double Value, int Evaluations) Minimize(Func<double[], double> function, IReadOnlyList<double> start, IReadOnlyList<double> steps, double tolerance = 1e-10, int maxEvaluations = 4000)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(steps);
        int n = start.Count;
        if (n == 0 || steps.Count != n)
        {
            throw new ArgumentException($"The start has {n} coordinates and the steps {steps.Count}; they must match and not be empty.", nameof(steps));
        }

        if (steps.Any(s => s == 0 || !double.IsFinite(s)))
        {
            throw new ArgumentException("Every initial step must be non-zero and finite.", nameof(steps));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tolerance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvaluations, n + 1);
        int evaluations = 0;
        double Evaluate(double[] x)
        {
            evaluations++;
            double value = function(x);
            return double.IsNaN(value) ? double.PositiveInfinity : value;
        }

        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            simplex[i] = start.ToArray();
            if (i > 0)
            {
                simplex[i][i - 1] += steps[i - 1];
            }

            values[i] = Evaluate(simplex[i]);
        }

        var centroid = new double[n];
        while (evaluations < maxEvaluations)
        {
            // Order: best first, worst last (stable, so ties keep their order and the run is deterministic).
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            simplex = order.Select(i => simplex[i]).ToArray();
            values = order.Select(i => values[i]).ToArray();
            if (Converged(simplex, values, tolerance))
            {
                break;
            }

            Array.Clear(centroid);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    centroid[j] += simplex[i][j] / n;
                }
            }

            double[] reflected = Along(centroid, simplex[n], -1);
            double reflectedValue = Evaluate(reflected);
            if (reflectedValue < values[0])
            {
                double[] expanded = Along(centroid, simplex[n], -2);
                double expandedValue = Evaluate(expanded);
                (simplex[n], values[n]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
            }
            else if (reflectedValue < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, reflectedValue);
            }
            else
            {
                bool outside = reflectedValue < values[n];
                double[] contracted = Along(centroid, simplex[n], outside ? -0.5 : 0.5);
                double contractedValue = Evaluate(contracted);
                if (contractedValue < (outside ? reflectedValue : values[n]))
                {
                    (simplex[n], values[n]) = (contracted, contractedValue);
                }
                else
                {
                    for (int i = 1; i <= n; i++)
                    {
                        simplex[i] = Along(simplex[0], simplex[i], 0.5);
                        values[i] = Evaluate(simplex[i]);
                    }
                }
            }
        }

        int best = Enumerable.Range(0, n + 1).MinBy(i => values[i]);
        return (simplex[best], values[best], evaluations);
    }

    // centroid + t · (point − centroid).
    private static double[] Along(double[] centroid, double[] point, double t)
    {
        var result = new double[centroid.Length];
        for (int j = 0; j < result.Length; j++)
        {
            result[j] = centroid[j] + (t * (point[j] - centroid[j]));
        }

        return result;
    }

    private static bool Converged(double[][] simplex, double[] values, double tolerance)
    {
        if (!double.IsFinite(values[^1]) || Math.Abs(values[^1] - values[0]) > tolerance * (1 + Math.Abs(values[0])))
        {
            return false;
        }

        for (int i = 1; i < simplex.Length; i++)
        {
            for (int j = 0; j < simplex[i].Length; j++)
            {
                if (Math.Abs(simplex[i][j] - simplex[0][j]) > tolerance)
                {
                    return false;
                }
            }
        }

        return true;
    }
}

namespace Latent.Evaluation;

/// <summary>
/// Multinomial logistic regression (softmax regression) on standardised features, fitted by full-batch
/// gradient descent with Nesterov momentum: the linear probe of a representation.
/// </summary>
/// <remarks>
/// p(y = c | x) = softmax(W x̃ + b)_c with x̃ = (x − mean) / std; the fit minimises
/// −(1/n) Σᵢ log p(yᵢ | xᵢ) + (λ/2)‖W‖² in double precision.
/// </remarks>
public sealed class LogisticRegression
{
    private readonly double[] _weights;
    private readonly double[] _bias;
    private readonly double[] _mean;
    private readonly double[] _scale;

    private LogisticRegression(int features, int classes, double[] weights, double[] bias, double[] mean, double[] scale)
    {
        Features = features;
        Classes = classes;
        _weights = weights;
        _bias = bias;
        _mean = mean;
        _scale = scale;
    }

    /// <summary>The number of input features.</summary>
    public int Features { get; }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>Fits the probe to <paramref name="features"/> [n × d, row-major] and labels 0..classes−1.</summary>
    public static LogisticRegression Fit(ReadOnlySpan<float> features, IReadOnlyList<int> labels, int dimension, double l2 = 1e-4, int iterations = 300)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        int n = labels.Count;
        if (n == 0 || features.Length != n * dimension)
        {
            throw new ArgumentException($"The probe needs features for each of the {n} labels ({n * dimension} values, got {features.Length}), and at least one item.", nameof(features));
        }

        int classes = 0;
        foreach (int label in labels)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(labels));
            classes = Math.Max(classes, label + 1);
        }

        var mean = new double[dimension];
        var scale = new double[dimension];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                mean[j] += features[(i * dimension) + j];
            }
        }

        for (int j = 0; j < dimension; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                double d = features[(i * dimension) + j] - mean[j];
                scale[j] += d * d;
            }
        }

        for (int j = 0; j < dimension; j++)
        {
            double std = Math.Sqrt(scale[j] / n);
            scale[j] = std > 1e-12 ? 1 / std : 1;
        }

        var x = new double[n * dimension];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                x[(i * dimension) + j] = (features[(i * dimension) + j] - mean[j]) * scale[j];
            }
        }

        int parameters = (classes * dimension) + classes;
        var theta = new double[parameters];
        var previous = new double[parameters];
        var lookahead = new double[parameters];
        var gradient = new double[parameters];
        var probabilities = new double[classes];

        // Standardised inputs keep the softmax loss's curvature below ½(‖x̃‖² + 1) ≈ ½(d + 1), so this step is stable.
        double step = 1.0 / ((0.5 * (dimension + 1)) + l2);
        for (int iteration = 1; iteration <= iterations; iteration++)
        {
            double momentum = (iteration - 1.0) / (iteration + 2.0);
            for (int p = 0; p < parameters; p++)
            {
                lookahead[p] = theta[p] + (momentum * (theta[p] - previous[p]));
            }

            Array.Clear(gradient);
            for (int i = 0; i < n; i++)
            {
                var row = x.AsSpan(i * dimension, dimension);
                Softmax(lookahead, row, classes, dimension, probabilities);
                probabilities[labels[i]] -= 1;
                for (int c = 0; c < classes; c++)
                {
                    double g = probabilities[c] / n;
                    var gw = gradient.AsSpan(c * dimension, dimension);
                    for (int j = 0; j < dimension; j++)
                    {
                        gw[j] += g * row[j];
                    }

                    gradient[(classes * dimension) + c] += g;
                }
            }

            Array.Copy(theta, previous, parameters);
            for (int p = 0; p < parameters; p++)
            {
                double decay = p < classes * dimension ? l2 * lookahead[p] : 0;
                theta[p] = lookahead[p] - (step * (gradient[p] + decay));
            }
        }

        return new LogisticRegression(dimension, classes, theta[..(classes * dimension)], theta[(classes * dimension)..], mean, scale);
    }

    /// <summary>The most probable class of each row of <paramref name="features"/> [n × d].</summary>
    public int[] Predict(ReadOnlySpan<float> features)
    {
        if (features.Length % Features != 0)
        {
            throw new ArgumentException($"The features have {features.Length} values, not a multiple of the probe's {Features} features.", nameof(features));
        }

        int n = features.Length / Features;
        var predictions = new int[n];
        var row = new double[Features];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < Features; j++)
            {
                row[j] = (features[(i * Features) + j] - _mean[j]) * _scale[j];
            }

            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < Classes; c++)
            {
                double score = _bias[c];
                for (int j = 0; j < Features; j++)
                {
                    score += _weights[(c * Features) + j] * row[j];
                }

                if (score > bestScore)
                {
                    bestScore = score;
                    best = c;
                }
            }

            predictions[i] = best;
        }

        return predictions;
    }

    /// <summary>The fraction of rows of <paramref name="features"/> whose predicted class is the label.</summary>
    public double Accuracy(ReadOnlySpan<float> features, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var predictions = Predict(features);
        if (predictions.Length != labels.Count)
        {
            throw new ArgumentException($"{predictions.Length} rows of features but {labels.Count} labels.", nameof(labels));
        }

        int correct = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            correct += predictions[i] == labels[i] ? 1 : 0;
        }

        return predictions.Length == 0 ? 0 : (double)correct / predictions.Length;
    }

    private static void Softmax(double[] theta, ReadOnlySpan<double> row, int classes, int dimension, double[] output)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < classes; c++)
        {
            double score = theta[(classes * dimension) + c];
            var w = theta.AsSpan(c * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                score += w[j] * row[j];
            }

            output[c] = score;
            max = Math.Max(max, score);
        }

        double sum = 0;
        for (int c = 0; c < classes; c++)
        {
            output[c] = Math.Exp(output[c] - max);
            sum += output[c];
        }

        for (int c = 0; c < classes; c++)
        {
            output[c] /= sum;
        }
    }
}

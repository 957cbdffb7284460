using Latent.Tensors;

namespace Latent.Evaluation;

/// <summary>
/// Multinomial logistic regression (softmax regression) on standardised features, fitted by full-batch
/// gradient descent with Nesterov momentum: the linear probe of a representation.
/// </summary>
/// <remarks>
/// p(y = c | x) = softmax(W x̃ + b)_c with x̃ = (x − mean) / std; the fit minimises
/// −(1/n) Σᵢ log p(yᵢ | xᵢ) + (λ/2)‖W‖²: the parameters and the update in double, the two matrix products of
/// each step (the logits X̃·Wᵀ and the gradient Rᵀ·X̃) through the float GEMM.
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

        // The standardised inputs in float for the two matrix products of each step (logits X̃·Wᵀ and the weight
        // gradient Rᵀ·X̃, both through the GEMM); the parameters and the update stay in double.
        var x = new float[n * dimension];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                x[(i * dimension) + j] = (float)((features[(i * dimension) + j] - mean[j]) * scale[j]);
            }
        }

        int parameters = (classes * dimension) + classes;
        int weightCount = classes * dimension;
        var theta = new double[parameters];
        var previous = new double[parameters];
        var lookahead = new double[parameters];
        var gradient = new double[parameters];
        var weights = new float[weightCount];
        var logits = new float[n * classes];
        var residual = new float[n * classes];
        var weightGradient = new float[weightCount];

        // Standardised inputs keep the softmax loss's curvature below ½(‖x̃‖² + 1) ≈ ½(d + 1), so this step is stable.
        double step = 1.0 / ((0.5 * (dimension + 1)) + l2);
        for (int iteration = 1; iteration <= iterations; iteration++)
        {
            double momentum = (iteration - 1.0) / (iteration + 2.0);
            for (int p = 0; p < parameters; p++)
            {
                lookahead[p] = theta[p] + (momentum * (theta[p] - previous[p]));
            }

            for (int p = 0; p < weightCount; p++)
            {
                weights[p] = (float)lookahead[p];
            }

            // logits = X̃·Wᵀ; the residual (softmax − one-hot)/n per row; ∂W = Rᵀ·X̃, ∂b = Σ rows of R.
            Gemm.Multiply(GemmForm.ABt, n, classes, dimension, 1f, x, dimension, weights, dimension, 0f, logits, classes);
            Array.Clear(gradient);
            for (int i = 0; i < n; i++)
            {
                var row = logits.AsSpan(i * classes, classes);
                var r = residual.AsSpan(i * classes, classes);
                double max = double.NegativeInfinity;
                for (int c = 0; c < classes; c++)
                {
                    max = Math.Max(max, row[c] + lookahead[weightCount + c]);
                }

                double sum = 0;
                for (int c = 0; c < classes; c++)
                {
                    double e = Math.Exp(row[c] + lookahead[weightCount + c] - max);
                    r[c] = (float)e;
                    sum += e;
                }

                for (int c = 0; c < classes; c++)
                {
                    double g = ((r[c] / sum) - (labels[i] == c ? 1 : 0)) / n;
                    r[c] = (float)g;
                    gradient[weightCount + c] += g;
                }
            }

            Gemm.Multiply(GemmForm.AtB, classes, dimension, n, 1f, residual, classes, x, dimension, 0f, weightGradient, dimension);
            for (int p = 0; p < weightCount; p++)
            {
                gradient[p] = weightGradient[p];
            }

            Array.Copy(theta, previous, parameters);
            for (int p = 0; p < parameters; p++)
            {
                double decay = p < weightCount ? l2 * lookahead[p] : 0;
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
}

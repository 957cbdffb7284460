using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// What a trained autoencoder draws: prior samples, interpolations between inputs in latent space, latent
/// traversals and the 2-D manifold grid. Each returns decoded images as rows [count, inputs].
/// </summary>
public static class Generation
{
    /// <summary>Decodes <paramref name="count"/> draws z ~ N(0, I): the means of p(x | z).</summary>
    public static Tensor PriorSamples(Autoencoder model, int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return model.Sample(count, rng);
    }

    /// <summary>
    /// Decodes <paramref name="steps"/> codes from the code of <paramref name="from"/> to that of <paramref name="to"/>.
    /// </summary>
    /// <remarks>
    /// Linear: z(t) = (1 − t)·a + t·b. Spherical (slerp): z(t) = sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b with
    /// cos θ = a·b / (‖a‖‖b‖), which keeps the norm typical of a Gaussian prior along the path; it falls back to
    /// linear when a and b are (anti-)parallel. t runs over 0, 1/(steps − 1), …, 1.
    /// </remarks>
    public static Tensor Interpolate(Autoencoder model, ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps, bool spherical)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (from.Length != model.Inputs || to.Length != model.Inputs)
        {
            throw new ArgumentException($"Interpolation needs two inputs of {model.Inputs} values (got {from.Length} and {to.Length}).", nameof(from));
        }

        var ends = EncodePair(model, from, to);
        var codes = InterpolateCodes(ends.Row(0), ends.Row(1), steps, spherical);
        return model.Decode(codes);
    }

    /// <summary>
    /// The codes of two inputs, [2, latent]: the ends of <see cref="Interpolate"/> (for a VAE the encoder's means).
    /// </summary>
    public static Tensor EncodePair(Autoencoder model, ReadOnlySpan<float> from, ReadOnlySpan<float> to)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (from.Length != model.Inputs || to.Length != model.Inputs)
        {
            throw new ArgumentException($"Interpolation needs two inputs of {model.Inputs} values (got {from.Length} and {to.Length}).", nameof(from));
        }

        var pair = Tensor.Zeros(2, model.Inputs);
        from.CopyTo(pair.Row(0));
        to.CopyTo(pair.Row(1));
        return model.Encode(pair);
    }

    /// <summary>Two draws z ~ N(0, I) of <paramref name="latent"/> values each, [2, latent]: the ends of <see cref="InterpolatePrior"/>.</summary>
    public static Tensor PriorPair(int latent, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        ArgumentNullException.ThrowIfNull(rng);
        var pair = Tensor.Zeros(2, latent);
        rng.FillNormal(pair.Span);
        return pair;
    }

    /// <summary>
    /// Decodes <paramref name="steps"/> codes on the path between two prior draws z ~ N(0, I) (Khan et al. 2018,
    /// figure 6: interpolation between two generated images); the draws are <see cref="PriorPair"/> of
    /// <paramref name="rng"/>, so the same seed gives the same pair for the linear and the spherical path.
    /// </summary>
    /// <remarks>
    /// For a Gaussian prior in d dimensions a draw's norm concentrates near √d, while the linear path's midpoint
    /// has norm about √(d/2) for independent ends: it passes through codes the prior rarely produces. Slerp keeps
    /// the norm between the two ends' norms (exactly so for orthogonal ends, to within about 1% for Gaussian draws).
    /// </remarks>
    public static Tensor InterpolatePrior(Autoencoder model, Rng rng, int steps, bool spherical)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var ends = PriorPair(model.Latent, rng);
        return model.Decode(InterpolateCodes(ends.Row(0), ends.Row(1), steps, spherical));
    }

    /// <summary>The Euclidean norm ‖z‖ of each row of <paramref name="codes"/> (e.g. along an interpolation path).</summary>
    public static double[] CodeNorms(Tensor codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var norms = new double[codes.Rows];
        for (int i = 0; i < codes.Rows; i++)
        {
            double sum = 0;
            foreach (float value in codes.Row(i))
            {
                sum += value * (double)value;
            }

            norms[i] = Math.Sqrt(sum);
        }

        return norms;
    }

    /// <summary>The codes of <see cref="Interpolate"/> between <paramref name="a"/> and <paramref name="b"/>: [steps, latent].</summary>
    public static Tensor InterpolateCodes(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int steps, bool spherical)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException($"The two codes must have the same, positive length (got {a.Length} and {b.Length}).", nameof(b));
        }

        int latent = a.Length;
        double dot = 0, normA = 0, normB = 0;
        for (int j = 0; j < latent; j++)
        {
            dot += a[j] * (double)b[j];
            normA += a[j] * (double)a[j];
            normB += b[j] * (double)b[j];
        }

        double cosine = normA > 0 && normB > 0 ? Math.Clamp(dot / Math.Sqrt(normA * normB), -1, 1) : 1;
        double theta = Math.Acos(cosine);
        bool slerp = spherical && Math.Sin(theta) > 1e-6;
        var codes = Tensor.Zeros(steps, latent);
        for (int s = 0; s < steps; s++)
        {
            double t = (double)s / (steps - 1);
            double wa = slerp ? Math.Sin((1 - t) * theta) / Math.Sin(theta) : 1 - t;
            double wb = slerp ? Math.Sin(t * theta) / Math.Sin(theta) : t;
            var row = codes.Row(s);
            for (int j = 0; j < latent; j++)
            {
                row[j] = (float)((wa * a[j]) + (wb * b[j]));
            }
        }

        return codes;
    }

    /// <summary>
    /// Latent traversals: for each dimension in <paramref name="dimensions"/> (one row each), <paramref name="steps"/>
    /// codes equal to the prior mean 0 except that dimension, which runs evenly over [−range, range].
    /// </summary>
    /// <remarks>Order the dimensions by decreasing KL to show the used ones first (the β-VAE paper's figure).</remarks>
    public static Tensor Traverse(Autoencoder model, IReadOnlyList<int> dimensions, int steps = 9, float range = 3f)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Traverse(model, dimensions, new float[model.Latent], steps, range);
    }

    /// <summary>
    /// Latent traversals around a code: for each dimension in <paramref name="dimensions"/> (one row each),
    /// <paramref name="steps"/> codes equal to <paramref name="origin"/> (e.g. an image's inferred code) except
    /// that dimension, which runs evenly over [−range, range] while the others stay fixed.
    /// </summary>
    /// <remarks>
    /// The β-VAE paper's figure 7: "each row is a latent unit traversed from −3 to 3, the others fixed at the
    /// values inferred from a seed image"; with the dimensions ordered by decreasing KL the used units come first.
    /// </remarks>
    public static Tensor Traverse(Autoencoder model, IReadOnlyList<int> dimensions, ReadOnlySpan<float> origin, int steps = 9, float range = 3f)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(range);
        if (dimensions.Count == 0)
        {
            throw new ArgumentException("A traversal needs at least one latent dimension.", nameof(dimensions));
        }

        if (origin.Length != model.Latent)
        {
            throw new ArgumentException($"The traversal's origin has {origin.Length} values; the model's code has {model.Latent}.", nameof(origin));
        }

        var codes = Tensor.Zeros(dimensions.Count * steps, model.Latent);
        for (int r = 0; r < dimensions.Count; r++)
        {
            int dimension = dimensions[r];
            if (dimension < 0 || dimension >= model.Latent)
            {
                throw new ArgumentOutOfRangeException(nameof(dimensions), dimension, $"A latent dimension must lie in 0 to {model.Latent - 1}.");
            }

            for (int s = 0; s < steps; s++)
            {
                origin.CopyTo(codes.Row((r * steps) + s));
                codes[(r * steps) + s, dimension] = (float)(-range + (2.0 * range * s / (steps - 1)));
            }
        }

        return model.Decode(codes);
    }

    /// <summary>
    /// The 2-D manifold (Kingma and Welling 2014, figure 4): a <paramref name="size"/>×<paramref name="size"/>
    /// grid of codes z = (Φ⁻¹(u), Φ⁻¹(v)) over evenly spaced quantiles u, v in (0, 1), decoded; rows run from
    /// high z₂ (top) to low, columns from low z₁ (left) to high.
    /// </summary>
    /// <remarks>Through the Gaussian inverse CDF Φ⁻¹ equal areas of the grid hold equal prior mass.</remarks>
    public static Tensor Manifold(Autoencoder model, int size = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        if (model.Latent != 2)
        {
            throw new ArgumentException($"The manifold grid needs a 2-D latent space; this model has {model.Latent} dimensions (use a traversal instead).", nameof(model));
        }

        var codes = ManifoldCodes(size);
        return model.Decode(codes);
    }

    /// <summary>The codes of <see cref="Manifold"/>: [size², 2], row-major over the grid.</summary>
    public static Tensor ManifoldCodes(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        var codes = Tensor.Zeros(size * size, 2);
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                // Quantiles (i + ½)/size stay strictly inside (0, 1), where Φ⁻¹ is finite.
                double u = (column + 0.5) / size;
                double v = 1 - ((row + 0.5) / size);
                codes[(row * size) + column, 0] = (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, u);
                codes[(row * size) + column, 1] = (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, v);
            }
        }

        return codes;
    }
}

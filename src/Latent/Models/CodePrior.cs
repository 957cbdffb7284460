using Latent.Classical;
using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// A distribution over an autoencoder's codes to draw new codes from: the standard normal N(0, I) a VAE is
/// trained to match, or, for a deterministic autoencoder (whose code space is not continuous, so decoded
/// N(0, I) draws are mostly garbage), a Gaussian or a Gaussian mixture fitted to the codes of its training data.
/// </summary>
/// <remarks>
/// The fitted priors are <see cref="GaussianMixtureModel"/>s with full covariances (one component for
/// <see cref="CodePriorKind.Gaussian"/>) on the mean codes z = g(x) of the training items, fitted by EM with
/// k-means initialisation; they are saved in the classical model file format.
/// </remarks>
public sealed class CodePrior
{
    private CodePrior(CodePriorSpec spec, int latent, GaussianMixtureModel? mixture)
    {
        Spec = spec;
        Latent = latent;
        Mixture = mixture;
    }

    /// <summary>Which prior this is.</summary>
    public CodePriorSpec Spec { get; }

    /// <summary>The code size.</summary>
    public int Latent { get; }

    /// <summary>The fitted mixture (null for the standard normal).</summary>
    public GaussianMixtureModel? Mixture { get; }

    /// <summary>The standard normal N(0, I) over <paramref name="latent"/>-dimensional codes.</summary>
    public static CodePrior Standard(int latent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        return new CodePrior(CodePriorSpec.Standard, latent, null);
    }

    /// <summary>
    /// Fits prior <paramref name="spec"/> to the codes <paramref name="model"/> gives the items of
    /// <paramref name="data"/> (its training data); the standard normal needs no data and ignores it.
    /// </summary>
    /// <exception cref="ArgumentException">The data do not fit the model, or have fewer items than the mixture has components.</exception>
    public static CodePrior Fit(Autoencoder model, IFeatureSource data, CodePriorSpec spec, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (!spec.IsFitted)
        {
            return Standard(model.Latent);
        }

        if (data.Dimension != model.Inputs)
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Dimension} features per item; the model takes {model.Inputs}.", nameof(data));
        }

        if (data.Count < Math.Max(2, spec.Components))
        {
            throw new ArgumentException($"Data '{data.Name}' have {data.Count} items; a {spec.Name} prior needs at least {Math.Max(2, spec.Components)}.", nameof(data));
        }

        return FitCodes(model.Encode(data), spec, seed);
    }

    /// <summary>Fits prior <paramref name="spec"/> to given codes [n, latent].</summary>
    public static CodePrior FitCodes(Tensor codes, CodePriorSpec spec, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Rank != 2 || codes.Rows < 1)
        {
            throw new ArgumentException($"Codes must be a non-empty matrix [n, latent]; got shape [{string.Join(", ", codes.Shape)}].", nameof(codes));
        }

        if (!spec.IsFitted)
        {
            return Standard(codes.Columns);
        }

        var options = new GaussianMixtureOptions { Components = spec.Components, CovarianceType = CovarianceType.Full, Seed = seed };
        return new CodePrior(spec, codes.Columns, GaussianMixture.Fit(codes, options));
    }

    /// <summary>Draws <paramref name="count"/> codes [count, latent] (mixture draws in random order, not grouped by component).</summary>
    public Tensor SampleCodes(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (Mixture is null)
        {
            var codes = Tensor.Zeros(count, Latent);
            new Rng(seed).FillNormal(codes.Span);
            return codes;
        }

        var grouped = Mixture.Sample(count, seed).Samples;
        int[] order = new Rng(seed ^ 0x9E3779B97F4A7C15UL).Permutation(count);
        var shuffled = Tensor.Zeros(count, Latent);
        for (int i = 0; i < count; i++)
        {
            grouped.Row(order[i]).CopyTo(shuffled.Row(i));
        }

        return shuffled;
    }

    /// <summary>Decodes <paramref name="count"/> codes drawn from the prior with <paramref name="model"/>: the means of p(x | z), [count, inputs].</summary>
    public Tensor Sample(Autoencoder model, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (model.Latent != Latent)
        {
            throw new ArgumentException($"The prior draws {Latent}-dimensional codes; the model's code has {model.Latent}.", nameof(model));
        }

        return model.Decode(SampleCodes(count, seed));
    }

    /// <summary>Saves a fitted prior to <paramref name="path"/> atomically, as a classical "gmm" model file.</summary>
    /// <exception cref="InvalidOperationException">The prior is the standard normal, which has nothing to save.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Mixture is null)
        {
            throw new InvalidOperationException("The standard normal prior is not fitted and has no file.");
        }

        Mixture.Save(path);
    }

    /// <summary>Loads fitted prior <paramref name="spec"/> from <paramref name="path"/>, checking its components and code size.</summary>
    /// <exception cref="DataFormatException">The file is not a mixture of <paramref name="spec"/>'s components over <paramref name="latent"/>-dimensional codes.</exception>
    public static CodePrior Load(string path, CodePriorSpec spec, int latent)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        if (!spec.IsFitted)
        {
            throw new ArgumentException("The standard normal prior is not fitted and has no file.", nameof(spec));
        }

        var mixture = GaussianMixtureModel.Load(path);
        if (mixture.Components != spec.Components || mixture.Features != latent)
        {
            throw new DataFormatException(path, $"it holds a {mixture.Components}-component mixture over {mixture.Features}-dimensional codes; expected a {spec.Name} prior over {latent}-dimensional codes.");
        }

        return new CodePrior(spec, latent, mixture);
    }
}

using Latent.Tensors;

namespace Latent.Nn;

/// <summary>Batch normalisation of features [N, F] (or [N, C, L]), PyTorch's nn.BatchNorm1d: statistics over the batch per feature.</summary>
/// <remarks>See <see cref="BatchNormBase"/> for the parameters, buffers and modes, <see cref="Autodiff.Ops.BatchNorm"/> for the formulas.</remarks>
public sealed class BatchNorm1d : BatchNormBase
{
    /// <summary>A layer normalising <paramref name="features"/> features.</summary>
    /// <param name="features">F.</param>
    /// <param name="eps">ε, added to the variance.</param>
    /// <param name="momentum">The weight of each batch in the running statistics.</param>
    public BatchNorm1d(int features, float eps = 1e-5f, float momentum = 0.1f)
        : base(features, eps, momentum)
    {
    }

    /// <summary>The features per item out of the layer: <paramref name="features"/>, once it equals <see cref="BatchNormBase.Channels"/>.</summary>
    /// <exception cref="ArgumentException">The layer normalises another number of features.</exception>
    public int OutputFeatures(int features)
    {
        if (features != Channels)
        {
            throw new ArgumentException($"BatchNorm1d: the layer normalises {Channels} features; its input has {features}.", nameof(features));
        }

        return features;
    }

    private protected override void CheckInput(Tensor x)
    {
        if (x.Rank is not (2 or 3) || x.Dim(1) != Channels)
        {
            throw new ArgumentException($"BatchNorm1d: the layer normalises {Channels} features and takes [N, {Channels}] or [N, {Channels}, L]; the input is {Format(x)}.", nameof(x));
        }
    }
}

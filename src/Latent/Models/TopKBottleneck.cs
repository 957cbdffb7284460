using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>
/// The k-sparse code of Makhzani and Frey (2013): a linear map, then only the k largest units of each item
/// are kept (the others set to zero, with no gradient); at encoding time the ⌊α·k⌋ largest are kept.
/// </summary>
public sealed class TopKBottleneck : Bottleneck
{
    private readonly Linear _linear;

    /// <summary>A linear map from <paramref name="features"/> to <paramref name="latent"/> units keeping the <paramref name="k"/> largest in training and ⌊<paramref name="alpha"/>·k⌋ when encoding; weights drawn from <paramref name="rng"/>.</summary>
    public TopKBottleneck(int features, int latent, int k, float alpha, Rng rng)
        : base(features, latent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, latent);
        ArgumentOutOfRangeException.ThrowIfLessThan(alpha, 1f);
        K = k;
        EncodingK = Math.Clamp((int)MathF.Floor(alpha * k), 1, latent);
        _linear = RegisterModule("linear", new Linear(features, latent, rng));
    }

    /// <summary>Units kept per item in training.</summary>
    public int K { get; }

    /// <summary>Units kept per item at encoding, ⌊α·k⌋ (at most the code size).</summary>
    public int EncodingK { get; }

    /// <inheritdoc/>
    public override BottleneckOutput Sample(Var features, Rng rng) => new(Ops.TopKMask(_linear.Forward(features), K));

    /// <inheritdoc/>
    public override Var Forward(Var x) => Ops.TopKMask(_linear.Forward(x), EncodingK);
}

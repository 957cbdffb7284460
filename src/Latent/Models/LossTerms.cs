namespace Latent.Models;

/// <summary>
/// One evaluation of an autoencoder's loss, split into its terms (each a mean per item, in nats where
/// the likelihood is a density): <see cref="Total"/> is what is minimised.
/// </summary>
/// <param name="Total">The weighted objective: reconstruction + weighted regularisers (or −IWAE bound).</param>
/// <param name="Reconstruction">Mean −log p(x | z).</param>
/// <param name="Kl">Mean KL(q(z | x) ‖ N(0, I)) (unweighted), or 0.</param>
/// <param name="Mmd">MMD(q(z), N(0, I)) (unweighted), or 0.</param>
/// <param name="Sparsity">The sparsity penalty (unweighted), or 0.</param>
public readonly record struct LossTerms(double Total, double Reconstruction, double Kl, double Mmd, double Sparsity)
{
    /// <summary>The names of the terms, in the order of <see cref="Values"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["loss", "reconstruction", "kl", "mmd", "sparsity"];

    /// <summary>The terms in the order of <see cref="Names"/>.</summary>
    public double[] Values() => [Total, Reconstruction, Kl, Mmd, Sparsity];

    /// <summary>The terms scaled by <paramref name="factor"/> (for weighted averages).</summary>
    public LossTerms Scale(double factor) =>
        new(Total * factor, Reconstruction * factor, Kl * factor, Mmd * factor, Sparsity * factor);

    /// <summary>Term-wise sum.</summary>
    public static LossTerms operator +(LossTerms a, LossTerms b) =>
        new(a.Total + b.Total, a.Reconstruction + b.Reconstruction, a.Kl + b.Kl, a.Mmd + b.Mmd, a.Sparsity + b.Sparsity);
}

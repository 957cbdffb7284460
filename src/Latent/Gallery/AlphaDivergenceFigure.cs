using System.Globalization;
using Latent.Evaluation;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Minka (2005), Figure 1, as Note E shows it: the Gaussian q minimising the alpha divergence D_α(p‖q) to a
/// bimodal p for α from −∞ to ∞ (mode seeking against mass covering), and the forward against the reverse KL fit.
/// </summary>
internal sealed class AlphaDivergenceFigure : GalleryFigure
{
    /// <summary>The density p: two well separated Gaussians of equal weight.</summary>
    public const string Density = "mixture:0.5,-2,0.6;0.5,2,0.6";

    /// <summary>The α values; −50 and 50 stand for the limits α → −∞ and α → ∞.</summary>
    public static IReadOnlyList<double> Alphas { get; } = [-50, 0, 0.5, 1, 50];

    /// <inheritdoc/>
    public override string Id => "alpha-divergence";

    /// <inheritdoc/>
    public override int Order => 14;

    /// <inheritdoc/>
    public override string Title => "Alpha divergence: mode seeking against mass covering";

    /// <inheritdoc/>
    public override string Source => "Note E, the alpha-divergence figure (Minka 2005, Figure 1)";

    /// <inheritdoc/>
    public override string Caption =>
        "A Gaussian q = N(μ, σ²) fitted to a two-Gaussian mixture p (modes at ±2, σ = 0.6) by minimising "
        + "D_α(p‖q) = ∫[αp + (1 − α)q − p^α q^(1−α)] / (α(1 − α)); α = −50 and α = 50 stand for α → −∞ and α → ∞. "
        + "(a) For small α (−∞ and 0, the reverse KL) q sits on one mode with that mode's width: mode seeking, "
        + "q avoids where p is small. For α ≥ 0.5 q covers both modes, and it widens as α grows: mass covering, "
        + "q avoids being small where p is not. (b) The forward KL(p‖q) (α = 1) matches p's mean and variance; "
        + "the reverse KL(q‖p) (α = 0) locks onto one mode. q is a normalised Gaussian, so on one mode it is twice "
        + "as tall as p there (Minka also fits a scale).";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale) =>
        [$"latent divergence --p \"{Density}\" --alpha={string.Join(',', Alphas.Select(a => a.ToString(CultureInfo.InvariantCulture)))} --out alpha-divergence"];

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Report("fitting q for each α", 0);
        var p = GaussianMixture1D.Parse(Density);
        var fits = AlphaGaussianFit.FitAll(p, Alphas);
        context.Report("drawing", 0.9);
        var numbers = new List<GalleryNumber>
        {
            new("p: mean", p.Mean, null, string.Empty, "the mixture's mean (what the forward KL fit must match)"),
            new("p: σ", p.StandardDeviation, null, string.Empty, "the mixture's standard deviation"),
        };
        foreach (var fit in fits)
        {
            string name = AlphaDivergencePlot.Name(fit.Alpha);
            numbers.Add(new GalleryNumber($"{name}: mean of q", fit.Mean));
            numbers.Add(new GalleryNumber($"{name}: σ of q", fit.Sigma));
        }

        var table = new GalleryTable(
            "The fitted Gaussians",
            ["α", "mean of q", "σ of q", "D_α(p‖q)"],
            [.. fits.Select(f => (IReadOnlyList<string>)[
                AlphaDivergencePlot.Name(f.Alpha)[4..],
                f.Mean.ToString("0.000", CultureInfo.InvariantCulture),
                f.Sigma.ToString("0.000", CultureInfo.InvariantCulture),
                f.Divergence.ToString("G4", CultureInfo.InvariantCulture)])]).Validate();
        return new GalleryOutcome(AlphaDivergencePlot.Draw(p, fits), numbers, [table],
            $"p = {p} on a grid of 2,001 points; no data set (the notes' figure is analytic, and quotes no numbers)");
    }
}

using System.Globalization;
using Latent.Classical;
using Latent.Data;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Note D's linear Gaussian models fitted by EM on images: factor analysis (diagonal noise) and probabilistic
/// PCA (isotropic noise), their log-likelihood per EM iteration and their loadings as images.
/// </summary>
internal sealed class FaPpcaFigure : GalleryFigure
{
    /// <inheritdoc/>
    public override string Id => "fa-ppca";

    /// <inheritdoc/>
    public override int Order => 17;

    /// <inheritdoc/>
    public override string Title => "Factor analysis and probabilistic PCA by EM on digits";

    /// <inheritdoc/>
    public override string Source => "Note D, the linear Gaussian model x = Az + e fitted by EM: probabilistic PCA (e ~ N(0, σ²I)) and factor analysis (e ~ N(0, D), D diagonal)";

    /// <inheritdoc/>
    public override string Caption =>
        "Both models are x = μ + Aᵀz + e with z ~ N(0, I); probabilistic PCA has one noise variance σ² for every pixel, factor "
        + "analysis one per pixel. (a), (b): the mean log-likelihood per image at every EM iteration, never decreasing; the dashed "
        + "line in (b) is probabilistic PCA's closed-form maximum, which EM approaches. (c), (d): the loadings (rows of A) as images, "
        + "grey 0, light positive, dark negative: PPCA's span the principal subspace (rotated onto its axes), FA's are its own "
        + "factors. The digits' border pixels never vary: factor analysis gives them no loading and the noise floor "
        + "(10⁻¹², as scikit-learn) as their variance, which adds ½·ln(1/(2π·10⁻¹²)) ≈ 12.9 nats per constant pixel to its log-likelihood, "
        + "so its curve is not comparable with PPCA's in absolute terms.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        var (data, limit, factors, iterations) = Size(scale);
        string limitOption = limit is int n ? $" --limit {n}" : string.Empty;
        return
        [
            $"latent fit fa --data {data}{limitOption} --components {factors} --max-iterations {iterations} --out runs/fa-ppca/fa",
            $"latent fit ppca --data {data}{limitOption} --components {factors} --solver em --max-iterations {iterations} --out runs/fa-ppca/ppca-em",
            $"latent fit ppca --data {data}{limitOption} --components {factors} --solver closed --out runs/fa-ppca/ppca",
        ];
    }

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, limit, factors, iterations) = Size(context.Scale);
        Dataset all = context.Data(name);
        Dataset data = limit is int n && n < all.Count ? all.Take(n) : all;
        ImageShape shape = data.ImageShape ?? throw new InvalidOperationException($"{name} has no image shape.");
        Tensor x = data.Features;

        context.Report("factor analysis", 0);
        FactorAnalysisModel fa = new FactorAnalysisOptions { Components = factors, MaxIterations = iterations, Seed = context.Seed }.Fit(x);
        context.Report("probabilistic PCA by EM", 0.45);
        ProbabilisticPcaModel ppca = new ProbabilisticPcaOptions { Components = factors, Solver = PpcaSolver.Em, MaxIterations = iterations, Seed = context.Seed }.Fit(x);
        ProbabilisticPcaModel closed = new ProbabilisticPcaOptions { Components = factors, Solver = PpcaSolver.ClosedForm, Seed = context.Seed }.Fit(x);
        context.Report("drawing", 0.9);

        var figure = new PlotFigure(2, 2, 470, 360);
        Curve(figure[0, 0], fa.History, null, "(a) factor analysis: log-likelihood", PlotStyle.Colour(0));
        Curve(figure[0, 1], ppca.History, closed.LogLikelihood, "(b) probabilistic PCA (EM): log-likelihood", PlotStyle.Colour(1));
        using (Tensor loadings = fa.Loadings)
        {
            PlotStyle.ImagePanel(figure[1, 0], ClassicalPictures.Grid(loadings, shape, normalise: true), $"(c) factor analysis: {factors} loadings");
        }

        using (Tensor loadings = ppca.Loadings)
        {
            PlotStyle.ImagePanel(figure[1, 1], ClassicalPictures.Grid(loadings, shape, normalise: true), $"(d) probabilistic PCA: {factors} loadings");
        }

        double floor = fa.Options.NoiseFloor;
        int atFloor = fa.NoiseVariance.Count(v => v <= floor);
        var numbers = new List<GalleryNumber>
        {
            new("factor analysis: mean log-likelihood per image", fa.LogLikelihood, null, "nats", FormattableString.Invariant($"includes the {atFloor} constant pixels at the noise floor")),
            new("factor analysis: EM iterations", fa.Iterations, null, string.Empty, fa.Converged ? null : "stopped at the iteration cap"),
            new("factor analysis: pixels at the noise floor (constant pixels)", atFloor),
            new("factor analysis: largest fall of the log-likelihood between iterations", LargestFall(fa.History), null, "nats"),
            new("probabilistic PCA (EM): mean log-likelihood per image", ppca.LogLikelihood, null, "nats"),
            new("probabilistic PCA (closed form): mean log-likelihood per image", closed.LogLikelihood, null, "nats"),
            new("probabilistic PCA: EM's gap to the closed-form maximum", closed.LogLikelihood - ppca.LogLikelihood, null, "nats"),
            new("probabilistic PCA (EM): iterations", ppca.Iterations),
            new("probabilistic PCA (EM): largest fall of the log-likelihood between iterations", LargestFall(ppca.History), null, "nats"),
            new("probabilistic PCA: noise variance σ²", ppca.NoiseVariance),
        };
        string dataText = FormattableString.Invariant($"{name}: the first {data.Count:N0} images ({x.Columns} pixels, scaled to [0, 1]); {factors} factors; at most {iterations} EM iterations");
        return new GalleryOutcome(figure, numbers, [], dataText);
    }

    private static (string Data, int? Limit, int Factors, int Iterations) Size(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => ("digits-8x8", null, 6, 300),
        GalleryScale.Quick => ("mnist-10k", 3000, 10, 300),
        _ => ("mnist-10k", null, 10, 1000),
    };

    private static void Curve(ScottPlot.Plot plot, IReadOnlyList<double> history, double? optimum, string title, ScottPlot.Color colour)
    {
        double[] iterations = [.. Enumerable.Range(1, history.Count).Select(i => (double)i)];
        var line = plot.Add.Scatter(iterations, [.. history]);
        line.Color = colour;
        line.LineWidth = 2;
        line.MarkerSize = 0;
        line.LegendText = "EM";
        if (optimum is double best)
        {
            var reference = plot.Add.HorizontalLine(best, 1.5f, ScottPlot.Colors.Black, ScottPlot.LinePattern.Dashed);
            reference.LegendText = "closed-form maximum";
        }

        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.Title(title);
        plot.XLabel("EM iteration");
        plot.YLabel("mean log-likelihood (nats per image)");
    }

    private static double LargestFall(IReadOnlyList<double> history) =>
        history.Count < 2 ? 0 : Math.Max(0, Enumerable.Range(1, history.Count - 1).Max(i => history[i - 1] - history[i]));
}

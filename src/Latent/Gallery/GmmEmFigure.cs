using System.Globalization;
using Latent.Classical;
using Latent.Data;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Note A's EM for a Gaussian mixture: covariance ellipses from the initial μ⁰, Σ⁰ through several iterations
/// to convergence on 2-D data (the UCI digits on their first two principal components), and the
/// log-likelihood per iteration, which EM never lowers.
/// </summary>
internal sealed class GmmEmFigure : GalleryFigure
{
    private const string DataName = "digits-8x8";
    private const int Components = 3;

    /// <inheritdoc/>
    public override string Id => "gmm-em";

    /// <inheritdoc/>
    public override int Order => 2;

    /// <inheritdoc/>
    public override string Title => "EM for a Gaussian mixture";

    /// <inheritdoc/>
    public override string Source => "Note A, EM for Gaussian mixtures (E-step responsibilities, M-step means and covariances from μ⁰, Σ⁰; EM as coordinate ascent on a lower bound)";

    /// <inheritdoc/>
    public override string Caption =>
        "A three-component Gaussian mixture with full covariances fitted by EM to the UCI digits on their first two principal "
        + "components. EM starts from the textbook μ⁰, Σ⁰ (a): the means at three digits chosen at random, every covariance the data's own; "
        + "each panel draws every component's two-standard-deviation ellipse and its mean (cross) after that many EM iterations, "
        + "with its mean log-likelihood L per digit. The components separate over the first iterations and settle on the "
        + "clusters; the last panel shows L per iteration, which never decreases (EM is coordinate ascent on a lower bound "
        + "that touches L after every E-step).";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale) =>
    [
        $"latent fit pca --data {DataName} --components 2 --out runs/gmm-em/pca2",
        $"latent transform runs/gmm-em/pca2/model.safetensors --data {DataName} --out runs/gmm-em/codes.npy",
        $"latent fit gmm --data runs/gmm-em/codes.npy --components {Components} --covariance Full --init samples --max-iterations {MaxIterations(scale)} --out runs/gmm-em/gmm   # writes steps.svg/png",
    ];

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Report("projecting onto two principal components", 0);
        Dataset data = context.Data(DataName);

        // As `latent fit pca --components 2` then `latent transform`: the same options, so the same codes.
        PcaModel pca = new PcaOptions { Components = 2 }.Fit(data.Features);
        using Tensor codes = pca.Transform(data.Features);
        context.Report("EM", 0.3);
        var options = new GaussianMixtureOptions
        {
            Components = Components,
            CovarianceType = CovarianceType.Full,
            Init = MixtureInit.RandomSamples,
            MaxIterations = MaxIterations(context.Scale),
            RecordHistory = true,
            Seed = context.Seed,
        };
        GaussianMixtureModel model = options.Fit(codes);
        context.Report("drawing", 0.8);
        PlotFigure figure = ClusteringSteps.Mixture(model, codes);

        IReadOnlyList<double> history = model.History;
        double largestFall = history.Count < 2 ? 0 : Enumerable.Range(1, history.Count - 1).Max(i => history[i - 1] - history[i]);
        var numbers = new List<GalleryNumber>();
        foreach (int step in ClusteringSteps.DefaultMixtureSteps(model.Steps.Count))
        {
            GaussianMixtureStep s = model.Steps[step];
            string name = step == 0 ? "mean log-likelihood of the initial μ⁰, Σ⁰" : step == model.Steps.Count - 1 ? "mean log-likelihood at convergence" : $"mean log-likelihood after iteration {s.Iteration}";
            numbers.Add(new GalleryNumber(name, s.LogLikelihood, null, "nats"));
        }

        numbers.Add(new GalleryNumber("EM iterations", model.Iterations, null, string.Empty, model.Converged ? "change of L under 10⁻³" : "stopped at the iteration cap"));
        numbers.Add(new GalleryNumber("largest fall of the log-likelihood between iterations (EM never lowers it)", Math.Max(largestFall, 0), null, "nats"));
        string dataText = FormattableString.Invariant($"{DataName}: all {data.Count:N0} digits, pixels scaled to [0, 1], on their first two principal components; {Components} full-covariance components");
        return new GalleryOutcome(figure, numbers, [], dataText);
    }

    private static int MaxIterations(GalleryScale scale) => scale == GalleryScale.Toy ? 60 : 300;
}

using System.Globalization;
using Latent.Classical;
using Latent.Data;
using Latent.Tensors;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Note A's Figure 1 (after M. Jordan): k-means step by step on 2-D data (the UCI digits on their first two
/// principal components): the data, random initial centres, the first two iterations' assignment and update
/// steps, the converged result and the inertia per iteration.
/// </summary>
internal sealed class KMeansStepsFigure : GalleryFigure
{
    private const string DataName = "digits-8x8";
    private const int Clusters = 3;

    /// <inheritdoc/>
    public override string Id => "kmeans-steps";

    /// <inheritdoc/>
    public override int Order => 1;

    /// <inheritdoc/>
    public override string Title => "k-means step by step";

    /// <inheritdoc/>
    public override string Source => "Note A, Figure 1 (after M. Jordan): k-means, (a) the data, (b) random initial centres, (c–f) two iterations";

    /// <inheritdoc/>
    public override string Caption =>
        "The 1,797 UCI digits (8×8) projected onto their first two principal components, clustered by k-means with k = 3 from "
        + "three data points chosen at random (b, crosses). Each iteration has two steps: assignment paints every point the colour "
        + "of its nearest centre (c, e); the update moves every centre to the mean of its points (d, f; arrows from old to new). "
        + "(g) is the converged clustering and (h) the inertia Σᵢ‖xᵢ − c(xᵢ)‖² at the start of every iteration: it never increases, "
        + "falling fastest in the first two iterations.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale) =>
    [
        $"latent fit pca --data {DataName} --components 2 --out runs/kmeans-steps/pca2",
        $"latent transform runs/kmeans-steps/pca2/model.safetensors --data {DataName} --out runs/kmeans-steps/codes.npy",
        $"latent fit kmeans --data runs/kmeans-steps/codes.npy --components {Clusters} --init random --out runs/kmeans-steps/kmeans   # writes steps.svg/png",
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
        context.Report("k-means from random centres", 0.3);
        var options = new KMeansOptions { Clusters = Clusters, Init = KMeansInit.Random, RecordHistory = true, Seed = context.Seed };
        KMeansModel model = options.Fit(codes);
        KMeansModel plusPlus = (options with { Init = KMeansInit.PlusPlus, RecordHistory = false }).Fit(codes);
        context.Report("drawing", 0.8);
        PlotFigure figure = ClusteringSteps.KMeans(model, codes);

        IReadOnlyList<KMeansIteration> history = model.History;
        double largestRise = history.Count < 2 ? 0 : Enumerable.Range(1, history.Count - 1).Max(i => history[i].Inertia - history[i - 1].Inertia);
        var numbers = new List<GalleryNumber>
        {
            new("inertia of the random initial centres", history[0].Inertia),
        };
        for (int i = 1; i < Math.Min(3, history.Count); i++)
        {
            numbers.Add(new GalleryNumber($"inertia after iteration {i}", history[i].Inertia));
        }

        numbers.Add(new GalleryNumber("inertia at convergence", model.Inertia));
        numbers.Add(new GalleryNumber("iterations to converge", model.Iterations, null, string.Empty, model.Converged ? null : "stopped at the iteration cap"));
        numbers.Add(new GalleryNumber("largest rise of the inertia between iterations (k-means never raises it)", Math.Max(largestRise, 0)));
        numbers.Add(new GalleryNumber("inertia at convergence from k-means++ (the default initialisation)", plusPlus.Inertia, null, string.Empty, FormattableString.Invariant($"{plusPlus.Iterations} iterations")));
        string dataText = FormattableString.Invariant($"{DataName}: all {data.Count:N0} digits, pixels scaled to [0, 1], on their first two principal components ({pca.ExplainedVarianceRatio.Sum():P1} of the variance); k = {Clusters}");
        return new GalleryOutcome(figure, numbers, [], dataText);
    }
}

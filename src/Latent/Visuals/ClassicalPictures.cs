using Latent.Classical;
using Latent.Data;
using Latent.Tensors;

namespace Latent.Visuals;

/// <summary>
/// The pictures of a fitted classical model on its data, as values: the objective per iteration (or PCA's
/// explained variance), the components, loadings, centres or means as an image grid when the data are images,
/// and a scatter of the data on two dimensions. <c>latent fit</c> writes them; the gallery shows them.
/// </summary>
/// <remarks>
/// Each <c>Of</c> returns the pictures in the order they are listed, named as their files are:
/// <list type="bullet">
/// <item>PCA: explained-variance (per component and cumulative), components (a grid, each component's range mapped onto [0, 1]), scatter (the codes).</item>
/// <item>Probabilistic PCA and factor analysis: objective (the log-likelihood per EM iteration, when EM ran), loadings (a grid), scatter (the posterior means).</item>
/// <item>k-means: objective (the inertia per iteration, when the fit recorded it), centres (a grid), scatter (the data on their first two principal components, coloured by cluster).</item>
/// <item>Gaussian mixture: objective (the log-likelihood per iteration), means (a grid), scatter (as k-means, coloured by the most likely component).</item>
/// </list>
/// The scatter shows the first <see cref="ScatterPoints"/> items, coloured by the data's labels where the
/// model has no assignment of its own; it is left out when there are fewer than two dimensions to show.
/// </remarks>
public static class ClassicalPictures
{
    /// <summary>The most points a scatter shows (the first ones).</summary>
    public const int ScatterPoints = 5000;

    /// <summary>The pictures of a fitted PCA on <paramref name="data"/>.</summary>
    public static IReadOnlyList<Picture> Of(PcaModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var pictures = new List<Picture> { new ChartPicture("explained-variance", ExplainedVariance(model)) };
        using (Tensor components = model.ComponentMatrix)
        {
            AddGrid(pictures, "components", components, data.ImageShape, normalise: true);
        }

        using Tensor codes = model.Transform(data.Features);
        AddScatter(pictures, "first two components", codes, data.Labels, data.ClassNames);
        return pictures;
    }

    /// <summary>The pictures of a fitted probabilistic PCA on <paramref name="data"/>.</summary>
    public static IReadOnlyList<Picture> Of(ProbabilisticPcaModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using Tensor loadings = model.Loadings;
        using Tensor codes = model.Transform(data.Features);
        return LatentGaussian(model.History, loadings, codes, data);
    }

    /// <summary>The pictures of a fitted factor analysis on <paramref name="data"/>.</summary>
    public static IReadOnlyList<Picture> Of(FactorAnalysisModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using Tensor loadings = model.Loadings;
        using Tensor codes = model.Transform(data.Features);
        return LatentGaussian(model.History, loadings, codes, data);
    }

    /// <summary>The pictures of a fitted k-means on <paramref name="data"/> (its clusters colour the scatter).</summary>
    public static IReadOnlyList<Picture> Of(KMeansModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var pictures = new List<Picture>();
        if (model.History.Count > 0)
        {
            pictures.Add(new ChartPicture("objective", Objective("Inertia per iteration", "inertia", "inertia", [.. model.History.Select(h => h.Inertia)])));
        }

        using (Tensor centres = model.Centres)
        {
            AddGrid(pictures, "centres", centres, data.ImageShape, normalise: false);
        }

        IReadOnlyList<int> clusters = model.Samples == data.Count ? model.Labels : model.Predict(data.Features);
        using Tensor? projected = TwoComponents(data.Features, model.Options.Seed);
        AddScatter(pictures, "first two principal components, coloured by cluster", projected, clusters);
        return pictures;
    }

    /// <summary>The pictures of a fitted Gaussian mixture on <paramref name="data"/> (the most likely components colour the scatter).</summary>
    public static IReadOnlyList<Picture> Of(GaussianMixtureModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var pictures = new List<Picture>();
        if (model.History.Count > 0)
        {
            pictures.Add(new ChartPicture("objective", Objective("Log-likelihood per iteration", "mean log-likelihood", "log-likelihood", model.History)));
        }

        using (Tensor means = model.Means)
        {
            AddGrid(pictures, "means", means, data.ImageShape, normalise: false);
        }

        using Tensor? projected = TwoComponents(data.Features, model.Options.Seed);
        AddScatter(pictures, "first two principal components, coloured by component", projected, projected is null ? null : model.Predict(data.Features));
        return pictures;
    }

    /// <summary>PCA's explained variance ratio per component and its running sum.</summary>
    public static Chart ExplainedVariance(PcaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double[] ratio = [.. model.ExplainedVarianceRatio];
        double cumulative = 0;
        double[] running = Array.ConvertAll(ratio, r => cumulative += r);
        return Chart.Lines("Explained variance", "component", "ratio", [("per component", ratio), ("cumulative", running)]);
    }

    /// <summary>An objective per iteration, as one line (named <paramref name="name"/>) against 1, 2, 3, ….</summary>
    public static Chart Objective(string title, string yLabel, string name, IReadOnlyList<double> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Chart.Lines(title, "iteration", yLabel, [(name, history)]);
    }

    /// <summary>
    /// A scatter of the first two columns of <paramref name="codes"/> (its first <see cref="ScatterPoints"/> rows),
    /// coloured by <paramref name="labels"/> when given, the legend naming classes by <paramref name="classNames"/> when given.
    /// </summary>
    public static Chart Scatter(string title, Tensor codes, IReadOnlyList<int>? labels, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Columns < 2)
        {
            throw new ArgumentException($"A scatter needs two columns of codes, not {codes.Columns}.", nameof(codes));
        }

        int count = Math.Min(ScatterPoints, codes.Rows);
        double[] first = [.. Enumerable.Range(0, count).Select(i => (double)codes[i, 0])];
        double[] second = [.. Enumerable.Range(0, count).Select(i => (double)codes[i, 1])];
        int[]? shown = labels?.Take(count).ToArray();
        return Chart.Scatter(title, "1", "2", first, second, shown, classNames);
    }

    /// <summary>
    /// The rows of <paramref name="images"/> as one image grid. With <paramref name="normalise"/> each row's
    /// range maps onto [0, 1] with 0 at mid-grey (components and loadings have both signs); without it the
    /// rows are shown in the data's units, divided by the largest value when that is above 1 (0..255 pixels).
    /// </summary>
    public static PngImage Grid(Tensor images, ImageShape shape, bool normalise)
    {
        ArgumentNullException.ThrowIfNull(images);
        float[] values = images.ToArray();
        int size = images.Columns;
        float top = TensorPrimitives.Max<float>(values);
        for (int r = 0; r < images.Rows; r++)
        {
            Span<float> row = values.AsSpan(r * size, size);
            if (!normalise)
            {
                // Means and centres are in the data's units; bring data scaled beyond [0, 1] (e.g. 0..255) into range.
                if (top > 1f)
                {
                    TensorPrimitives.Divide(row, top, row);
                }
            }
            else
            {
                // Components have both signs: map each one's range onto [0, 1], grey being 0 when symmetric.
                float extent = Math.Max(TensorPrimitives.MaxMagnitude<float>(row), 1e-12f);
                for (int i = 0; i < size; i++)
                {
                    row[i] = 0.5f + (0.5f * row[i] / extent);
                }
            }
        }

        return ImageGrid.Compose(values, images.Rows, shape);
    }

    private static List<Picture> LatentGaussian(IReadOnlyList<double> history, Tensor loadings, Tensor codes, Dataset data)
    {
        var pictures = new List<Picture>();
        if (history.Count > 0)
        {
            pictures.Add(new ChartPicture("objective", Objective("Log-likelihood per iteration", "mean log-likelihood", "log-likelihood", history)));
        }

        AddGrid(pictures, "loadings", loadings, data.ImageShape, normalise: true);
        AddScatter(pictures, "posterior means of the first two latent dimensions", codes, data.Labels, data.ClassNames);
        return pictures;
    }

    private static void AddGrid(List<Picture> pictures, string name, Tensor images, ImageShape? shape, bool normalise)
    {
        if (shape is ImageShape imageShape)
        {
            pictures.Add(new ImagePicture(name, Grid(images, imageShape, normalise)));
        }
    }

    private static void AddScatter(List<Picture> pictures, string title, Tensor? codes, IReadOnlyList<int>? labels, IReadOnlyList<string>? classNames = null)
    {
        if (codes is { Columns: >= 2 })
        {
            pictures.Add(new ChartPicture("scatter", Scatter(title, codes, labels, classNames)));
        }
    }

    /// <summary>The data on their first two principal components (null when there are fewer than two rows or columns).</summary>
    private static Tensor? TwoComponents(Tensor x, ulong seed) =>
        x.Columns >= 2 && x.Rows >= 2 ? new PcaOptions { Components = 2, Seed = seed }.Fit(x).Transform(x) : null;
}

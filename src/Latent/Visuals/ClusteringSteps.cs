using System.Globalization;
using Latent.Classical;
using Latent.Tensors;
using ScottPlot;

namespace Latent.Visuals;

/// <summary>
/// Figures of clustering algorithms at work on 2-D data, drawn from the steps a fit recorded: k-means as the
/// notes' Figure 1 (after M. Jordan) draws it, and EM for a Gaussian mixture as covariance ellipses at several
/// iterations. <c>latent fit kmeans|gmm</c> writes them as steps.svg and steps.png; the gallery shows them.
/// </summary>
public static class ClusteringSteps
{
    /// <summary>The most points a panel shows (the first ones).</summary>
    public const int MaxPoints = 5000;

    private static readonly Color s_dataColour = Color.FromHex("#4d4d4d");

    /// <summary>
    /// k-means on 2-D <paramref name="data"/>, in eight panels: (a) the data as dots; (b) the initial centres as
    /// crosses; (c) iteration 1's assignment step (points painted their centre's colour); (d) its update step
    /// (the centres moved to their points' means, arrows from old to new); (e), (f) the same for iteration 2;
    /// (g) the converged result; (h) the inertia per iteration.
    /// </summary>
    /// <param name="model">A fit with <see cref="KMeansOptions.RecordHistory"/> set, on <paramref name="data"/>.</param>
    /// <param name="data">The data the model was fitted to, [n, 2].</param>
    /// <exception cref="ArgumentException">The data are not 2-D or not the model's, or the fit recorded no history.</exception>
    public static PlotFigure KMeans(KMeansModel model, Tensor data)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = CheckData(data, model.Features, model.Samples);
        if (model.History.Count == 0)
        {
            throw new ArgumentException("The k-means fit recorded no iterations; fit it with RecordHistory set.", nameof(model));
        }

        int shown = Math.Min(n, MaxPoints);
        (double[] x, double[] y) = Columns(data, shown);
        Bounds bounds = Bounds.Of(x, y);
        IReadOnlyList<KMeansIteration> history = model.History;
        double[,] CentresAt(int iteration) => iteration < history.Count ? ToArray(history[iteration].Centres) : ToArray(model.Centres);
        int[] LabelsAt(int iteration) => [.. (iteration < history.Count ? history[iteration].Labels : model.Labels).Take(shown)];

        var figure = new PlotFigure(2, 4, 330, 310);
        Plot a = figure[0, 0];
        Dots(a, x, y, null);
        Finish(a, "(a) the data", bounds);

        Plot b = figure[0, 1];
        Dots(b, x, y, null);
        Crosses(b, CentresAt(0));
        Finish(b, "(b) random initial centres", bounds);

        for (int step = 0; step < 2; step++)
        {
            int row = step == 0 ? 0 : 1, column = step == 0 ? 2 : 0;
            char letter = (char)('c' + (2 * step));
            double[,] before = CentresAt(step), after = CentresAt(step + 1);
            int[] labels = LabelsAt(step);
            Plot assign = figure[row, column];
            Dots(assign, x, y, labels);
            Crosses(assign, before);
            Finish(assign, $"({letter}) iteration {step + 1}: assign", bounds);

            Plot update = step == 0 ? figure[0, 3] : figure[1, 1];
            Dots(update, x, y, labels);
            Moves(update, before, after);
            Crosses(update, after);
            Finish(update, $"({(char)(letter + 1)}) iteration {step + 1}: update", bounds);
        }

        Plot converged = figure[1, 2];
        Dots(converged, x, y, [.. model.Labels.Take(shown)]);
        Crosses(converged, ToArray(model.Centres));
        Finish(converged, $"(g) converged, {model.Iterations} iterations", bounds);

        Plot inertia = figure[1, 3];
        double[] iterations = [.. Enumerable.Range(1, history.Count).Select(i => (double)i)];
        var line = inertia.Add.Scatter(iterations, [.. history.Select(h => h.Inertia)]);
        line.Color = PlotStyle.Colour(0);
        line.LineWidth = 2;
        line.MarkerSize = 6;
        inertia.Title("(h) inertia per iteration", 13);
        inertia.XLabel("iteration");
        inertia.YLabel("inertia");
        return figure;
    }

    /// <summary>
    /// EM for a Gaussian mixture on 2-D <paramref name="data"/>: one panel per chosen step (the data as dots, each
    /// component's two-standard-deviation covariance ellipse and mean), then the log-likelihood per iteration with
    /// the chosen steps marked.
    /// </summary>
    /// <param name="model">A fit with <see cref="GaussianMixtureOptions.RecordHistory"/> set, on <paramref name="data"/>.</param>
    /// <param name="data">The data the model was fitted to, [n, 2].</param>
    /// <param name="steps">Indices into <see cref="GaussianMixtureModel.Steps"/> (0: the initial parameters); null for <see cref="DefaultMixtureSteps"/>.</param>
    /// <exception cref="ArgumentException">The data are not 2-D or not the model's, the fit recorded no steps, or a step is out of range.</exception>
    public static PlotFigure Mixture(GaussianMixtureModel model, Tensor data, IReadOnlyList<int>? steps = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = CheckData(data, model.Features, model.Samples);
        if (model.Steps.Count == 0)
        {
            throw new ArgumentException("The Gaussian mixture fit recorded no steps; fit it with RecordHistory set.", nameof(model));
        }

        IReadOnlyList<int> chosen = steps ?? DefaultMixtureSteps(model.Steps.Count);
        foreach (int s in chosen)
        {
            if (s < 0 || s >= model.Steps.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), s, $"The fit recorded steps 0 to {model.Steps.Count - 1}.");
            }
        }

        int shown = Math.Min(n, MaxPoints);
        (double[] x, double[] y) = Columns(data, shown);
        Bounds bounds = Bounds.Of(x, y);
        int panels = chosen.Count + 1, columns = Math.Min(4, panels), rows = (panels + columns - 1) / columns;
        var figure = new PlotFigure(rows, columns, 330, 310);
        int last = model.Steps.Count - 1;
        for (int p = 0; p < chosen.Count; p++)
        {
            GaussianMixtureStep step = model.Steps[chosen[p]];
            Plot plot = figure[p / columns, p % columns];
            Dots(plot, x, y, null);
            double[,] means = ToArray(step.Means);
            for (int j = 0; j < step.Components; j++)
            {
                double[] sigma = step.Covariance(j);
                PlotStyle.CovarianceEllipse(plot, means[j, 0], means[j, 1], sigma[0], sigma[1], sigma[3], PlotStyle.Colour(j));
            }

            Crosses(plot, means);
            string when = step.Iteration == 0 ? "initial" : chosen[p] == last ? $"converged ({step.Iteration})" : $"iteration {step.Iteration}";
            Finish(plot, $"({(char)('a' + p)}) {when}, L = {step.LogLikelihood.ToString("F3", CultureInfo.InvariantCulture)}", bounds);
        }

        Plot curve = figure[chosen.Count / columns, chosen.Count % columns];
        double[] index = [.. Enumerable.Range(0, model.Steps.Count).Select(i => (double)i)];
        var line = curve.Add.Scatter(index, [.. model.Steps.Select(s => s.LogLikelihood)]);
        line.Color = PlotStyle.Colour(0);
        line.LineWidth = 2;
        line.MarkerSize = 0;
        var marked = curve.Add.Markers(chosen.Select(s => (double)s).ToArray(), chosen.Select(s => model.Steps[s].LogLikelihood).ToArray(), MarkerShape.FilledCircle, 8, PlotStyle.Colour(3));
        marked.LegendText = "panels";
        line.LegendText = "mean log-likelihood";
        curve.ShowLegend(Alignment.LowerRight);
        curve.Title($"({(char)('a' + chosen.Count)}) log-likelihood per iteration", 13);
        curve.XLabel("EM iteration");
        curve.YLabel("mean log-likelihood");
        for (int p = panels; p < rows * columns; p++)
        {
            figure[p / columns, p % columns].HideAxesAndGrid();
        }

        return figure;
    }

    /// <summary>The steps a mixture figure shows by default: the initial parameters, iterations 1, 2, 5, 10 and 20, and the last, those that exist.</summary>
    public static IReadOnlyList<int> DefaultMixtureSteps(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return [.. new[] { 0, 1, 2, 5, 10, 20, count - 1 }.Where(s => s < count).Distinct().Order()];
    }

    private static int CheckData(Tensor data, int features, int samples)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Columns != 2)
        {
            throw new ArgumentException($"A clustering-steps figure needs 2-D data, not {string.Join(" × ", data.Shape)}.", nameof(data));
        }

        if (features != 2 || data.Rows != samples)
        {
            throw new ArgumentException($"The model was fitted to {samples} samples of {features} features, not to these {data.Rows} × 2 data.", nameof(data));
        }

        return data.Rows;
    }

    private static (double[] X, double[] Y) Columns(Tensor data, int count) =>
        ([.. Enumerable.Range(0, count).Select(i => (double)data[i, 0])], [.. Enumerable.Range(0, count).Select(i => (double)data[i, 1])]);

    private static double[,] ToArray(Tensor centres)
    {
        using (centres)
        {
            var result = new double[centres.Rows, 2];
            for (int j = 0; j < centres.Rows; j++)
            {
                result[j, 0] = centres[j, 0];
                result[j, 1] = centres[j, 1];
            }

            return result;
        }
    }

    /// <summary>The points as small dots: dark grey, or painted their cluster's colour.</summary>
    private static void Dots(Plot plot, double[] x, double[] y, int[]? labels)
    {
        if (labels is null)
        {
            plot.Add.Markers(x, y, MarkerShape.FilledCircle, 3, s_dataColour.WithAlpha(0.7));
            return;
        }

        foreach (int c in labels.Distinct().Order())
        {
            int[] members = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == c)];
            plot.Add.Markers(members.Select(i => x[i]).ToArray(), members.Select(i => y[i]).ToArray(), MarkerShape.FilledCircle, 3, PlotStyle.Colour(c).WithAlpha(0.7));
        }
    }

    /// <summary>Each centre as a large cross in its cluster's colour over a black one, so it stands out on its own points.</summary>
    private static void Crosses(Plot plot, double[,] centres)
    {
        for (int j = 0; j < centres.GetLength(0); j++)
        {
            var outline = plot.Add.Marker(centres[j, 0], centres[j, 1], MarkerShape.Cross, 22, Colors.Black);
            outline.MarkerLineWidth = 6;
            var cross = plot.Add.Marker(centres[j, 0], centres[j, 1], MarkerShape.Cross, 20, PlotStyle.Colour(j));
            cross.MarkerLineWidth = 3;
        }
    }

    /// <summary>An arrow from every centre's old place to its new one.</summary>
    private static void Moves(Plot plot, double[,] before, double[,] after)
    {
        for (int j = 0; j < before.GetLength(0); j++)
        {
            var arrow = plot.Add.Arrow(before[j, 0], before[j, 1], after[j, 0], after[j, 1]);
            arrow.ArrowLineColor = Colors.Black;
            arrow.ArrowFillColor = Colors.Black;
            arrow.ArrowLineWidth = 0;
            arrow.ArrowWidth = 2;
            arrow.ArrowheadWidth = 10;
            arrow.ArrowheadLength = 12;
            arrow.ArrowMinimumLength = 0;
        }
    }

    private static void Finish(Plot plot, string title, Bounds bounds)
    {
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 13;
        plot.XLabel("component 1");
        plot.YLabel("component 2");
        plot.Axes.SetLimits(bounds.Left, bounds.Right, bounds.Bottom, bounds.Top);
    }

    /// <summary>The region every scatter panel shows: the data's range with a 5 % margin.</summary>
    private readonly record struct Bounds(double Left, double Right, double Bottom, double Top)
    {
        public static Bounds Of(double[] x, double[] y)
        {
            double xMin = x.Min(), xMax = x.Max(), yMin = y.Min(), yMax = y.Max();
            double dx = Math.Max(xMax - xMin, 1e-9) * 0.05, dy = Math.Max(yMax - yMin, 1e-9) * 0.05;
            return new Bounds(xMin - dx, xMax + dx, yMin - dy, yMax + dy);
        }
    }
}

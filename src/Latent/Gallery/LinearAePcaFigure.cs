using System.Globalization;
using Latent.Classical;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// The linear autoencoder learns PCA's subspace (Note B; Note A's "linear autoencoder as iterative PCA"; Note D's
/// EM for PCA): the largest principal angle between the trained linear-ae's decoder subspace and PCA's top-k
/// subspace per epoch, and the same angle per EM iteration of probabilistic PCA.
/// </summary>
internal sealed class LinearAePcaFigure : GalleryFigure
{
    /// <inheritdoc/>
    public override string Id => "linear-ae-pca";

    /// <inheritdoc/>
    public override int Order => 3;

    /// <inheritdoc/>
    public override string Title => "The linear autoencoder and EM both find PCA's subspace";

    /// <inheritdoc/>
    public override string Source => "Note B (linear autoencoder Z = XH, X̂ = ZΦ: its optimum spans PCA's subspace); Note A (the linear autoencoder as iterative PCA); Note D (EM for PCA)";

    /// <inheritdoc/>
    public override string Caption =>
        "(a) The largest principal angle between the column space of a trained linear autoencoder's decoder and the span of PCA's top k " +
        "components, after every epoch (log scale): it falls under 1° (dashed), so the autoencoder has found PCA's subspace — but not PCA's " +
        "axes, any basis of the subspace is as good for it. The eigengap λ_k − λ_{k+1} of the data sets the pace (0.05 against λ₁ = 5.4 at " +
        "k = 20 on mnist-10k), so Adam 1e-2 with a cosine decay (the preset's recommended training) is used. (b) The same angle for " +
        "probabilistic PCA fitted by EM from random loadings: EM converges geometrically, to rounding.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        (string data, int k, int epochs, int iterations) = Sizes(scale);
        return
        [
            Invariant($"latent train linear-ae --data {data} --latent {k} --epochs {epochs} --validation 0 --pca-angle --out runs/linear-ae-pca   # history.csv: column pca_angle"),
            Invariant($"latent fit ppca --data {data} --components {k} --solver em --pca-angle --out runs/ppca-em   # pca-angle.csv (EM runs to convergence; the gallery stops at {iterations} iterations)"),
        ];
    }

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (string name, int k, int epochs, int iterations) = Sizes(context.Scale);
        var data = context.Data(name);
        var recommended = Presets.RecommendedTrainer("linear-ae", data.ImageShape)
            ?? throw new InvalidOperationException("linear-ae has no recommended trainer.");
        var model = (data.ImageShape is { } shape ? Presets.Defaults("linear-ae", shape) : Presets.Defaults("linear-ae", data.Dimension)) with { Latent = k, Seed = context.Seed };
        var options = new TrainingRunOptions
        {
            Model = model,
            Trainer = new TrainerOptions
            {
                Epochs = epochs,
                Optimizer = recommended.Optimizer,
                LearningRate = recommended.LearningRate,
                Schedule = recommended.Schedule,
                PcaAngle = true,
                Seed = context.Seed,
                CheckpointEvery = 0,
            },
            ValidationFraction = 0,
        };
        var trained = context.Train("linear-ae", options, data);
        double[] aeAngles = [.. trained.History.Epochs.Select(e => e.Metric(EpochRecord.PcaAngleMetric) ?? double.NaN)];

        context.Report("probabilistic PCA by EM", 0.8);
        var ppca = new ProbabilisticPcaOptions { Components = k, Solver = PpcaSolver.Em, PcaAngle = true, MaxIterations = iterations, Seed = context.Seed }.Fit(data.Features);
        double[] emAngles = [.. ppca.PcaAngleHistory];

        var figure = new PlotFigure(1, 2, 520, 400);
        Panel(figure[0, 0], aeAngles, $"(a) linear autoencoder, k = {k}", "epoch", Invariant($"Adam {recommended.LearningRate:G3}, cosine, batch {options.Trainer.BatchSize}"));
        Panel(figure[0, 1], emAngles, $"(b) probabilistic PCA by EM, k = {k}", "EM iteration", "from random loadings");

        int under = Array.FindIndex(aeAngles, a => a < 1);
        int emUnder = Array.FindIndex(emAngles, a => a < 1);
        string dataWords = Invariant($"{data.Name}: all {data.Count:N0} images of {data.Dimension} pixels (scaled to [0, 1]); PCA by a full eigendecomposition of their covariance");
        var numbers = new List<GalleryNumber>
        {
            new($"linear AE: largest principal angle to PCA-{k} after {aeAngles.Length} epochs", aeAngles[^1], 0, "°", "the notes: the optimum spans PCA's subspace (angle 0)"),
            new("linear AE: first epoch under 1°", under < 0 ? double.NaN : under + 1, null, "", under < 0 ? "not reached" : null),
            new($"EM: largest principal angle to PCA-{k} after {emAngles.Length} iterations", emAngles[^1], 0, "°", null),
            new("EM: first iteration under 1°", emUnder < 0 ? double.NaN : emUnder + 1, null, "", emUnder < 0 ? "not reached" : null),
            new("linear AE: final training loss (Gaussian −log p(x|z), σ = 1)", trained.History.Epochs[^1].Train.Total, null, "nats", null),
        };
        var table = new GalleryTable(
            $"Largest principal angle to PCA-{k} (degrees)",
            ["step", "linear AE (epoch)", "EM (iteration)"],
            [.. Checkpoints(Math.Max(aeAngles.Length, emAngles.Length)).Select(i => (IReadOnlyList<string>)[
                i.ToString(CultureInfo.InvariantCulture),
                i <= aeAngles.Length ? aeAngles[i - 1].ToString("G4", CultureInfo.InvariantCulture) : "",
                i <= emAngles.Length ? emAngles[i - 1].ToString("G4", CultureInfo.InvariantCulture) : "",
            ])]).Validate();
        return new GalleryOutcome(figure, numbers, [table], dataWords);
    }

    private static (string Data, int K, int Epochs, int Iterations) Sizes(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => ("digits-8x8", 4, 500, 100),
        GalleryScale.Quick => ("mnist-10k", 20, 60, 100),
        _ => ("mnist-10k", 20, 100, 300),
    };

    private static void Panel(ScottPlot.Plot plot, double[] angles, string title, string xLabel, string legend)
    {
        double[] xs = [.. Enumerable.Range(1, angles.Length).Select(i => (double)i)];
        double[] ys = LogAxis.Log10(angles, 1e-12);
        int low = (int)Math.Floor(Math.Max(ys.Min(), -12));
        var line = plot.Add.Scatter(xs, ys, PlotStyle.Colour(0));
        line.MarkerSize = angles.Length > 60 ? 0 : 4;
        line.LineWidth = 2;
        line.LegendText = legend;
        var bound = plot.Add.HorizontalLine(0, 1.5f, PlotStyle.Colour(3), ScottPlot.LinePattern.Dashed);
        bound.LegendText = "1°";
        LogAxis.DecadesY(plot, Math.Min(low, -1), 2, "°");
        plot.Axes.SetLimitsX(0, angles.Length + 1);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("largest principal angle to PCA's subspace");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
    }

    private static IEnumerable<int> Checkpoints(int count)
    {
        var steps = new SortedSet<int> { 1, count };
        for (int step = 5; step < count; step = step < 20 ? step + 5 : step * 2)
        {
            steps.Add(step);
        }

        return steps;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;
using ScottPlot;
using PlotStyle = Latent.Visuals.PlotStyle;

namespace Latent.Gallery;

/// <summary>
/// Note D's nonlinear Gaussian model with a learned noise variance, d·log σ² + ‖x − f(z)‖²/σ²: σ over training,
/// reconstructions and samples, and the final σ against the root mean squared reconstruction error per dimension,
/// which it equals at the optimum.
/// </summary>
internal sealed class LearnedVarianceFigure : GalleryFigure
{
    // Real digits the samples are measured against: the data set's last ones.
    private const int QualityReference = 1000;

    public override string Id => "learned-variance";

    public override int Order => 16;

    public override string Title => "The nonlinear Gaussian model with a learned noise variance";

    public override string Source => "Note D (the nonlinear Gaussian model x = f(z) + e, L(θ, σ²) = d·log σ² + ‖x − f(z)‖²/σ²)";

    public override string Caption =>
        "A VAE on mnist-10k whose p(x|z) is N(f(z), σ²I) with one learned σ (latent train vae --likelihood gaussian-shared). "
        + "(a) σ after each epoch falls from 1 towards the reconstruction error and then follows it: for fixed f the "
        + "objective d·log σ² + ‖x − f(z)‖²/σ² is least at σ² = ‖x − f(z)‖²/d, the mean squared error per pixel (dashed: "
        + "the final RMS error per pixel at draws z ~ q(z|x) on the training images). (b) digits (odd rows) and "
        + "their reconstructions (even rows); (c) samples, the means f(z) for z ~ N(0, I), with the quality of "
        + $"{SampleQualityNumbers.Samples(GalleryScale.Quick):N0} of them ({SampleQualityNumbers.Samples(GalleryScale.Full):N0} at full scale) against the last {QualityReference:N0} digits in the features of a classifier trained "
        + "on the digits (latent eval's sample quality: FD the Fréchet distance, lower is better; P and R k-NN precision and recall; the "
        + "table adds other real digits measured the same way, the floor). The model trains on every digit, so those are training images.";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        (int epochs, int batch, float rate) = Sizes(scale);
        return
        [
            Invariant($"latent train vae --data mnist-10k --likelihood gaussian-shared --epochs {epochs} --batch {batch} --lr {rate} --validation 0 --out runs/learned-sigma"),
            "cat runs/learned-sigma/history.csv   # the sigma column: σ after each epoch",
            "latent eval runs/learned-sigma --data mnist-10k --iw-samples 0   # decoder σ and the RMS error per dimension",
            "latent reconstruct runs/learned-sigma --data mnist-10k --out reconstructions.png",
            "latent sample runs/learned-sigma --count 100 --out samples.png",
            $"latent eval runs/learned-sigma --data mnist-10k --iw-samples 0 --quality-samples {SampleQualityNumbers.Samples(scale)}   # sample quality against all of mnist-10k",
        ];
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (int epochs, int batch, float rate) = Sizes(context.Scale);
        var all = context.Data("mnist-10k");
        var data = all;
        if (context.Scale == GalleryScale.Toy)
        {
            data = data.Take(400);
        }

        var shape = data.ImageShape!.Value;
        var options = new TrainingRunOptions
        {
            Model = Presets.Defaults("vae", shape) with { Likelihood = LikelihoodKind.GaussianLearnedShared, Seed = context.Seed },
            Trainer = new TrainerOptions { Epochs = epochs, BatchSize = batch, LearningRate = rate, Seed = context.Seed, CheckpointEvery = 0 },
            // No validation split: the trainer would keep the best-validation epoch, whose σ may still be on its way.
            ValidationFraction = 0,
        };
        context.Report("training", 0);
        var result = context.Train("model", options, data);
        var model = result.Model;

        context.Report("measuring", 0.8);
        var evaluation = new EvaluationOptions { ImportanceSamples = 0, Seed = context.Seed };
        var onTrain = Evaluator.Evaluate(model, Unlabelled(data), evaluation);
        double sigma = onTrain.DecoderSigma!.Value;
        double rms = onTrain.SampledRmsError!.Value;
        var sigmas = result.History.Epochs.Select(e => e.Sigma ?? double.NaN).ToArray();

        var numbers = new List<GalleryNumber>
        {
            new("final σ (learned)", sigma, null, string.Empty, "pixels in [0, 1]"),
            new("RMS reconstruction error per pixel, z ~ q(z|x), training images", rms, null, string.Empty, "√(E‖x − f(z)‖²/d): the σ that minimises the objective for this f"),
            new("σ / RMS error", sigma / rms, 1, string.Empty, "1 at the optimum of σ (Note D)"),
            new("ELBO", onTrain.Elbo!.Value, null, "nats", "a density over [0, 1]-valued pixels: positive, and not comparable with Bernoulli log-likelihoods"),
        };

        var figure = new PlotFigure(1, 3, 380, 380);
        var chart = PlotStyle.Apply(figure[0, 0]);
        double[] epochNumbers = [.. result.History.Epochs.Select(e => (double)e.Epoch)];
        var line = chart.Add.Scatter(epochNumbers, sigmas, PlotStyle.Colour(0));
        line.LegendText = "σ (learned)";
        line.LineWidth = 2;
        var target = chart.Add.HorizontalLine(rms, 2, PlotStyle.Colour(3), LinePattern.Dashed);
        target.LegendText = "final RMS error per pixel";
        chart.Axes.SetLimitsY(0, Math.Max(1.05, sigmas.Where(double.IsFinite).DefaultIfEmpty(1).Max() * 1.05));
        chart.Title("(a) σ over training");
        chart.XLabel("epoch");
        chart.YLabel("σ");
        chart.ShowLegend(Alignment.UpperRight);

        // 32 digits and their reconstructions, in alternate rows of eight.
        const int Shown = 32;
        var originals = data.Take(Shown).Features;
        var reconstructions = model.Reconstruct(originals);
        var pairs = Tensor.Zeros(2 * Shown, model.Inputs);
        for (int i = 0; i < Shown; i++)
        {
            int row = i / 8, column = i % 8;
            originals.Row(i).CopyTo(pairs.Row((2 * row * 8) + column));
            reconstructions.Row(i).CopyTo(pairs.Row((((2 * row) + 1) * 8) + column));
        }

        PlotStyle.ImageGridPanel(PlotStyle.Apply(figure[0, 1]), pairs.Span, 2 * Shown, shape, "(b) digits / reconstructed", 8);
        // The model trains on every image, so the reference is the data set's last images (held out only at toy scale).
        context.Report("sample quality", 0.95);
        int referenceCount = Math.Min(QualityReference, all.Count / 2);
        var quality = SampleQualityNumbers.For(context, "mnist-10k", all.Subset([.. Enumerable.Range(all.Count - referenceCount, referenceCount)]),
            Invariant($"the last {referenceCount:N0} mnist-10k digits{(data.Count == all.Count ? ", training images here" : string.Empty)}"));
        var qualities = new (string Label, SampleQuality Quality)[]
        {
            ("f(z), z ~ N(0, I)", quality.Measure(model)),
            ("other real digits (the floor)", quality.Floor(all.Take(all.Count - referenceCount))),
        };
        numbers.AddRange(qualities.SelectMany(q => quality.Numbers(q.Label, q.Quality)));
        var samples = Generation.PriorSamples(model, 64, new Rng(context.Seed + 1));
        PlotStyle.ImageGridPanel(PlotStyle.Apply(figure[0, 2]), samples.Span, 64, shape, $"(c) samples f(z), z ~ N(0, I)\n{SampleQualityNumbers.Short(qualities[0].Quality)}", 8);
        return new GalleryOutcome(figure, numbers, [quality.Table(qualities)],
            Invariant($"mnist-10k: all {data.Count:N0} images for training (no validation split), {epochs} epochs of batches of {batch}"));
    }

    private static (int Epochs, int Batch, float Rate) Sizes(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => (80, 20, 5e-3f),
        GalleryScale.Quick => (10, 64, 3e-3f),
        _ => (40, 64, 3e-3f),
    };

    private static Dataset Unlabelled(Dataset data) => new(data.Name, data.Features, null, data.ImageShape);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

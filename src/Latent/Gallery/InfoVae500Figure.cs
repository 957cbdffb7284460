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
/// The InfoVAE paper's Fig. 5: an ELBO VAE and an MMD InfoVAE (λ = 1000) trained on 500 images: samples of each,
/// the gap between training and held-out ELBO (the ELBO model overfits), MMD(q(z), p(z)) and log-likelihood.
/// </summary>
internal sealed class InfoVae500Figure : GalleryFigure
{
    /// <summary>The InfoVAE's MMD weight λ (the paper's).</summary>
    internal const float MmdWeight = 1000f;

    public override string Id => "infovae-500";

    public override int Order => 12;

    public override string Title => "ELBO against InfoVAE on 500 images";

    public override string Source => "Note C; Zhao, Song & Ermon 2017 (InfoVAE), Figure 5";

    public override string Caption =>
        "A VAE trained on the ELBO and an InfoVAE (the same net, KL plus λ·MMD(q(z), p(z)) with λ = 1000) trained on only "
        + "500 digits for many epochs. The ELBO model fits its 500 images far better than unseen ones (a large gap between "
        + "training and held-out ELBO), and its aggregate posterior q(z) drifts from the prior (a larger MMD), so decoding "
        + "draws from the prior gives poorer samples; the MMD term keeps q(z) on the prior, and the InfoVAE's samples "
        + "stay digit-like with a smaller gap. Under each sample panel: the quality of "
        + $"{SampleQualityNumbers.Samples(GalleryScale.Quick):N0} prior samples ({SampleQualityNumbers.Samples(GalleryScale.Full):N0} at full scale) against the held-out digits in the features of a "
        + "classifier trained on the digits (latent eval's sample quality: FD the Fréchet distance, lower is better; P and R k-NN precision "
        + "and recall); the table adds unseen real digits measured the same way, the floor. Measured so, the two models' samples differ "
        + "far less than their ELBO gaps: a few units of distance at the quick scale, and the order can turn at smaller sizes.";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        (int train, int epochs, _, int samples, int items) = Sizes(scale);
        int quality = SampleQualityNumbers.Samples(scale);
        string common = Invariant($"--data mnist-10k --limit {train} --epochs {epochs} --batch 100 --validation 0");
        return
        [
            $"latent train vae {common} --out runs/elbo-{train}",
            Invariant($"latent train infovae {common} --mmd-weight {MmdWeight} --out runs/infovae-{train}"),
            $"latent sample runs/elbo-{train} --count 100 --out elbo-samples.png",
            $"latent sample runs/infovae-{train} --count 100 --out infovae-samples.png",
            Invariant($"latent eval runs/elbo-{train} --data mnist-10k --iw-samples {samples} --iw-items {items} --quality-samples {quality}"),
            Invariant($"latent eval runs/infovae-{train} --data mnist-10k --iw-samples {samples} --iw-items {items} --quality-samples {quality}"),
        ];
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (int trainCount, int epochs, int heldOutCount, int samples, int items) = Sizes(context.Scale);
        var all = context.Data("mnist-10k");
        var shape = all.ImageShape!.Value;

        // latent train --limit N: the first N images; the held-out images are the ones after them.
        var train = all.Take(trainCount);
        var labelledHeldOut = all.Subset([.. Enumerable.Range(trainCount, heldOutCount)]);
        var heldOut = Unlabelled(labelledHeldOut);
        var quality = SampleQualityNumbers.For(context, "mnist-10k", labelledHeldOut, Invariant($"the {heldOutCount:N0} held-out digits"));
        var qualities = new List<(string Label, SampleQuality Quality)>();
        var trainer = new TrainerOptions { Epochs = epochs, BatchSize = 100, Seed = context.Seed, CheckpointEvery = 0 };
        var models = new (string Label, string Part, AutoencoderOptions Options)[]
        {
            ("ELBO", "elbo", Presets.Defaults("vae", shape) with { Seed = context.Seed }),
            ("InfoVAE", "infovae", Presets.Defaults("infovae", shape) with { MmdWeight = MmdWeight, Seed = context.Seed }),
        };

        var figure = new PlotFigure(1, 3, 340, 380);
        var numbers = new List<GalleryNumber>();
        var rows = new List<IReadOnlyList<string>>();
        var trainElbo = new double[2];
        var heldOutElbo = new double[2];
        var options = new EvaluationOptions { ImportanceSamples = samples, ImportanceItems = items, Seed = context.Seed };
        string comment = Invariant($"the first {trainCount} mnist-10k images, {epochs} epochs; held out: the next {heldOutCount:N0}");
        for (int m = 0; m < models.Length; m++)
        {
            (string label, string part, var modelOptions) = models[m];
            context.Report($"training {part}", m / 2.0);
            var model = context.Train(part, new TrainingRunOptions { Model = modelOptions, Trainer = trainer, ValidationFraction = 0 }, train).Model;
            context.Report($"evaluating {part}", (m + 0.5) / 2);
            var onTrain = Evaluator.Evaluate(model, Unlabelled(train), options with { ImportanceSamples = 0 });
            var onHeldOut = Evaluator.Evaluate(model, heldOut, options);
            trainElbo[m] = onTrain.Elbo!.Value;
            heldOutElbo[m] = onHeldOut.Elbo!.Value;
            double gap = trainElbo[m] - heldOutElbo[m];
            numbers.Add(new GalleryNumber($"{label}: training ELBO", trainElbo[m], null, "nats", comment));
            numbers.Add(new GalleryNumber($"{label}: held-out ELBO", heldOutElbo[m], null, "nats", comment));
            numbers.Add(new GalleryNumber($"{label}: ELBO gap (training − held-out)", gap, null, "nats", "the overfitting the paper shows in its samples"));
            numbers.Add(new GalleryNumber($"{label}: MMD²(q(z), p(z)) on the training images", onTrain.Mmd!.Value, null, string.Empty, "Gaussian kernel, as latent eval measures it"));
            numbers.Add(new GalleryNumber($"{label}: held-out log p(x)", onHeldOut.LogLikelihood!.Value, null, "nats", Invariant($"k = {samples} importance samples on {Math.Min(items, heldOutCount)} held-out images")));
            rows.Add([label, Invariant($"{trainElbo[m]:F2}"), Invariant($"{heldOutElbo[m]:F2}"), Invariant($"{gap:F2}"), Invariant($"{onTrain.Mmd.Value:F4}"), Invariant($"{onHeldOut.LogLikelihood.Value:F2}")]);

            var measured = quality.Measure(model);
            qualities.Add(($"{label} prior samples", measured));
            var pictures = Generation.PriorSamples(model, 100, new Rng(context.Seed + 1));
            PlotStyle.ImageGridPanel(PlotStyle.Apply(figure[0, m]), pictures.Span, 100, shape, $"({(char)('a' + m)}) {label} samples\n{SampleQualityNumbers.Short(measured)}", 10);
        }

        var chart = PlotStyle.Apply(figure[0, 2]);
        var trainBars = chart.Add.Bars(new double[] { 0.8, 2.8 }, trainElbo);
        trainBars.Color = PlotStyle.Colour(0);
        trainBars.LegendText = Invariant($"training ({trainCount} images)");
        var heldOutBars = chart.Add.Bars(new double[] { 1.2, 3.2 }, heldOutElbo);
        heldOutBars.Color = PlotStyle.Colour(1);
        heldOutBars.LegendText = "held out";
        foreach (var bar in trainBars.Bars.Concat(heldOutBars.Bars))
        {
            bar.Size = 0.38;
        }

        chart.Axes.Bottom.SetTicks([1, 3], ["ELBO", "InfoVAE"]);
        chart.Title("(c) ELBO per image");
        chart.YLabel("nats");
        chart.ShowLegend(Alignment.LowerCenter);

        // Unseen digits after the held-out ones, measured like the samples: the floor at this sample size.
        qualities.Add(("unseen real digits (the floor)", quality.Floor(all.Subset([.. Enumerable.Range(trainCount + heldOutCount, all.Count - trainCount - heldOutCount)]))));
        numbers.AddRange(qualities.SelectMany(q => quality.Numbers(q.Label, q.Quality)));
        var table = new GalleryTable(Invariant($"Trained on {trainCount} images"), ["model", "training ELBO", "held-out ELBO", "gap", "MMD²(q(z), p(z))", "held-out log p(x)"], rows).Validate();
        return new GalleryOutcome(figure, numbers, [table, quality.Table(qualities)],
            Invariant($"mnist-10k: the first {trainCount} images for training (as latent train --limit {trainCount}), the next {heldOutCount:N0} held out (the paper: 500 MNIST images)"));
    }

    private static (int Train, int Epochs, int HeldOut, int Samples, int Items) Sizes(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => (200, 100, 300, 20, 50),
        GalleryScale.Quick => (500, 200, 1000, 200, 500),
        _ => (500, 1000, 2000, 1000, 1000),
    };

    private static Dataset Unlabelled(Dataset data) => new(data.Name, data.Features, null, data.ImageShape);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

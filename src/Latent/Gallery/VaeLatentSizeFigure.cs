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
/// Kingma and Welling's Fig. 5: random samples from MNIST VAEs with 2, 5, 10 and 20 latents, with each model's
/// held-out ELBO and importance-sampled log-likelihood (as <c>latent eval</c> measures them).
/// </summary>
internal sealed class VaeLatentSizeFigure : GalleryFigure
{
    private static readonly int[] s_latents = [2, 5, 10, 20];

    public override string Id => "vae-latent-size";

    public override int Order => 10;

    public override string Title => "Samples from VAEs with 2, 5, 10 and 20 latents";

    public override string Source => "Note C; Kingma & Welling 2013, Figure 5";

    public override string Caption =>
        "Random samples (means of p(x|z) for z ~ N(0, I)) from the vae preset (784-400-d-400-784, Bernoulli) trained on "
        + "mnist-10k with d = 2, 5, 10 and 20 latents, and each model's held-out ELBO and importance-sampled log p(x). "
        + "Two latents give blurry but well-formed digits; more latents give sharper, more varied samples and a higher "
        + "held-out bound, the gain flattening as the KL cost of unused dimensions stops them being used. Under each panel: the quality of "
        + $"{SampleQualityNumbers.Samples(GalleryScale.Quick):N0} prior samples ({SampleQualityNumbers.Samples(GalleryScale.Full):N0} at full scale) against the held-out digits in the features of a "
        + "classifier trained on the digits (latent eval's sample quality: FD the Fréchet distance, lower is better; P and R k-NN precision "
        + "and recall); the table adds training digits measured the same way, the floor.";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        (int epochs, int samples, int items) = Sizes(scale);
        var commands = new List<string>();
        foreach (int latent in s_latents)
        {
            string run = $"runs/vae-z{latent}";
            commands.Add(Invariant($"latent train vae --data mnist-10k --latent {latent} --epochs {epochs} --out {run}"));
            commands.Add($"latent sample {run} --count 100 --out {run}/samples.png");
            commands.Add(Invariant($"latent eval {run} --data mnist-10k --iw-samples {samples} --iw-items {items} --quality-samples {SampleQualityNumbers.Samples(scale)}"));
        }

        return commands;
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (int epochs, int samples, int items) = Sizes(context.Scale);
        var data = context.Data("mnist-10k");
        if (context.Scale == GalleryScale.Toy)
        {
            data = data.Take(600);
        }

        var trainer = new TrainerOptions { Epochs = epochs, Seed = context.Seed, CheckpointEvery = 0 };
        var run = new TrainingRunOptions { Model = Presets.Defaults("vae", data.ImageShape!.Value), Trainer = trainer, ValidationFraction = 0.1 };

        // The held-out items are the run's own validation split (the same call TrainingRun makes).
        (var train, var heldOut) = data.Split(run.ValidationFraction, trainer.Seed);
        var quality = SampleQualityNumbers.For(context, "mnist-10k", heldOut, "the held-out digits");
        var qualities = new List<(string Label, SampleQuality Quality)>();
        var figure = new PlotFigure(1, s_latents.Length + 1, 330, 360);
        var numbers = new List<GalleryNumber>();
        var rows = new List<IReadOnlyList<string>>();
        double[] elbos = new double[s_latents.Length], logLikelihoods = new double[s_latents.Length];
        string comment = Invariant($"mnist-10k, {heldOut.Count:N0} held-out images, {epochs} epochs; log p(x) with k = {samples:N0} importance samples on {Math.Min(items, heldOut.Count):N0} of them (the paper: full MNIST)");
        for (int i = 0; i < s_latents.Length; i++)
        {
            int latent = s_latents[i];
            context.Report($"latent size {latent}", (double)i / s_latents.Length);
            var model = context.Train($"z{latent}", run with { Model = run.Model with { Latent = latent, Seed = context.Seed } }, data).Model;
            var evaluation = Evaluator.Evaluate(model, Unlabelled(heldOut), new EvaluationOptions { ImportanceSamples = samples, ImportanceItems = items, Seed = context.Seed });
            elbos[i] = evaluation.Elbo!.Value;
            logLikelihoods[i] = evaluation.LogLikelihood!.Value;
            numbers.Add(new GalleryNumber($"{latent} latents: held-out ELBO", elbos[i], null, "nats", comment));
            numbers.Add(new GalleryNumber($"{latent} latents: held-out log p(x)", logLikelihoods[i], null, "nats", comment));
            numbers.Add(new GalleryNumber($"{latent} latents: active units", evaluation.Posterior!.ActiveUnits, null, string.Empty, "Cov_x E_q[z_j] > 0.01 (Burda et al.)"));
            rows.Add([latent.ToString(CultureInfo.InvariantCulture), Invariant($"{elbos[i]:F2}"), Invariant($"{logLikelihoods[i]:F2}"), Invariant($"{evaluation.Posterior.ActiveUnits}")]);

            var measured = quality.Measure(model);
            qualities.Add(($"{latent} latents", measured));
            var pictures = Generation.PriorSamples(model, 100, new Rng(context.Seed + 1));
            PlotStyle.ImageGridPanel(PlotStyle.Apply(figure[0, i]), pictures.Span, 100, data.ImageShape!.Value, $"({(char)('a' + i)}) {latent}-D latent space\n{SampleQualityNumbers.Short(measured)}", 10);
        }

        var chart = PlotStyle.Apply(figure[0, s_latents.Length]);
        double[] xs = [.. s_latents.Select(l => (double)l)];
        var elboLine = chart.Add.Scatter(xs, elbos, PlotStyle.Colour(0));
        elboLine.LegendText = "held-out ELBO";
        elboLine.LineWidth = 2;
        elboLine.MarkerSize = 7;
        var likelihoodLine = chart.Add.Scatter(xs, logLikelihoods, PlotStyle.Colour(1));
        likelihoodLine.LegendText = Invariant($"log p(x), IWAE k={samples}");
        likelihoodLine.LineWidth = 2;
        likelihoodLine.MarkerSize = 7;
        chart.Axes.Bottom.SetTicks(xs, [.. s_latents.Select(l => l.ToString(CultureInfo.InvariantCulture))]);
        chart.Title("(e) bound and likelihood");
        chart.XLabel("latent dimensions");
        chart.YLabel("nats per image");
        chart.ShowLegend(Alignment.LowerRight);

        qualities.Add(("real training digits (the floor)", quality.Floor(train)));
        numbers.AddRange(qualities.SelectMany(q => quality.Numbers(q.Label, q.Quality)));
        var table = new GalleryTable("Held-out ELBO and log-likelihood by latent size", ["latents", "ELBO (nats)", "log p(x) (nats)", "active units"], rows).Validate();
        return new GalleryOutcome(figure, numbers, [table, quality.Table(qualities)], Invariant($"mnist-10k: {data.Count - heldOut.Count:N0} training and {heldOut.Count:N0} held-out images (the paper: the 60,000 MNIST images)"));
    }

    private static (int Epochs, int Samples, int Items) Sizes(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => (2, 20, 50),
        GalleryScale.Quick => (10, 200, 500),
        _ => (60, 1000, 1000),
    };

    // The probe and k-means of latent eval are not this figure's business: the held-out split without labels.
    private static Dataset Unlabelled(Dataset data) => new(data.Name, data.Features, null, data.ImageShape);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

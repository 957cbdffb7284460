using System.Globalization;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Kingma and Welling's Figure 4: the learned 2-D manifold of a VAE with a 2-D latent on MNIST digits, a grid of
/// latent values at evenly spaced quantiles through the Gaussian inverse CDF, decoded; beside it the held-out
/// digits' posterior means coloured by class.
/// </summary>
internal sealed class VaeManifoldFigure : GalleryFigure
{
    private const string DataName = "mnist-10k";

    /// <inheritdoc/>
    public override string Id => "vae-manifold";

    /// <inheritdoc/>
    public override int Order => 9;

    /// <inheritdoc/>
    public override string Title => "The learned 2-D latent manifold of a VAE";

    /// <inheritdoc/>
    public override string Source => "Note C, Kingma and Welling 2013 (Auto-Encoding Variational Bayes), Figure 4";

    /// <inheritdoc/>
    public override string Caption =>
        "(a) A VAE with a 2-D latent (784-400-2, Bernoulli likelihood) decoding a square grid of codes z = (Φ⁻¹(u), Φ⁻¹(v)) at evenly "
        + "spaced quantiles u, v of the standard normal (Φ⁻¹ its inverse CDF, so each cell holds equal prior mass): the digits morph "
        + "continuously into one another across the plane, every code decodes to a plausible digit. (b) The posterior means μ(x) of "
        + "held-out digits, coloured by class: the classes occupy regions of the N(0, I) ball, in the same places as in (a). "
        + "Under (a): the quality of prior samples z ~ N(0, I) against the held-out digits, in the features of a classifier trained on the digits "
        + "(latent eval's sample quality; FD the Fréchet distance, lower is better; P and R k-NN precision and recall); the table gives training "
        + "digits measured the same way, the floor at this sample size. Two latents cover the classes but blur them: the distance stays well above the floor.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale) =>
    [
        $"latent train vae --data {DataName} --latent 2 --epochs {Epochs(scale)} --out runs/vae-manifold/vae2",
        $"latent manifold runs/vae-manifold/vae2 --size {Size(scale)} --out manifold.png",
        $"latent eval runs/vae-manifold/vae2 --data {DataName} --quality-samples {SampleQualityNumbers.Samples(scale)}",
    ];

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = context.Data(DataName);
        var data = all.Take(context.Choose(2000, all.Count, all.Count));
        var shape = data.ImageShape ?? new ImageShape(1, 28, 28);
        var trainer = new TrainerOptions { Epochs = Epochs(context.Scale), Seed = context.Seed, CheckpointEvery = 0 };
        var run = new TrainingRunOptions { Model = Presets.Defaults("vae", shape) with { Latent = 2, Seed = context.Seed }, Trainer = trainer };
        var vae = context.Train("vae2", run, data).Model;

        context.Report("decoding the grid", 0.9);
        int size = Size(context.Scale);
        var grid = Generation.Manifold(vae, size);
        (var train, var heldOut) = data.Split(run.ValidationFraction, trainer.Seed);
        var elbo = -vae.Evaluate(heldOut, new Rng(context.Seed + 3)).Total;
        var posterior = PosteriorStatistics.Measure(vae, heldOut);
        var codes = vae.Encode(heldOut);
        context.Report("sample quality", 0.95);
        var quality = SampleQualityNumbers.For(context, DataName, heldOut, "the held-out digits");
        var samples = quality.Measure(vae);
        var floor = quality.Floor(train);

        var figure = new PlotFigure(1, 2, 560, 560);
        PlotStyle.ImageGridPanel(figure[0, 0], grid.Span, size * size, shape, FormattableString.Invariant($"(a) decoded grid z = (Φ⁻¹(u), Φ⁻¹(v)), {size}×{size}\nprior samples: {SampleQualityNumbers.Short(samples)}"), size);
        var scatter = figure[0, 1];
        var x = new double[codes.Rows];
        var y = new double[codes.Rows];
        for (int i = 0; i < codes.Rows; i++)
        {
            x[i] = codes[i, 0];
            y[i] = codes[i, 1];
        }

        var labels = heldOut.Labels ?? new int[codes.Rows];
        PlotStyle.ClassScatter(scatter, x, y, labels, markerSize: 4);
        scatter.Title("(b) posterior means μ(x) of held-out digits");
        scatter.XLabel("z₁");
        scatter.YLabel("z₂");

        string comment = FormattableString.Invariant($"{heldOut.Count:N0} held-out images");
        var numbers = new List<GalleryNumber>
        {
            new("held-out ELBO per image", elbo, null, "nats", comment + ", one posterior sample"),
            new("KL(q(z|x) ‖ N(0, I)) of latent 1", posterior.KlPerDimension[0], null, "nats", comment),
            new("KL(q(z|x) ‖ N(0, I)) of latent 2", posterior.KlPerDimension[1], null, "nats", comment),
            new("active latents (of 2)", posterior.ActiveUnits, null, string.Empty, "Burda et al.: a latent is active when the variance of its posterior mean over the data exceeds 0.01"),
        };
        var qualities = new (string Label, SampleQuality Quality)[] { ("VAE, z ~ N(0, I)", samples), ("real training digits (the floor)", floor) };
        numbers.AddRange(qualities.SelectMany(q => quality.Numbers(q.Label, q.Quality)));
        string dataText = FormattableString.Invariant($"{DataName}: {data.Count - heldOut.Count:N0} training images, {heldOut.Count:N0} held out, {trainer.Epochs} epochs (the paper: full MNIST)");
        return new GalleryOutcome(figure, numbers, [quality.Table(qualities)], dataText);
    }

    private static int Epochs(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => 6,
        GalleryScale.Quick => 20,
        _ => 100,
    };

    private static int Size(GalleryScale scale) => scale == GalleryScale.Toy ? 8 : 20;
}

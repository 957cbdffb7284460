using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Linear and spherical interpolation in a VAE's 20-D latent space: between the encoder means of two real
/// digits (Kingma et al. 2018, figure 5) and between two prior draws z ~ N(0, I) (Khan et al. 2018, figure 6),
/// with the norm ‖z‖ along each path: the linear path dips toward the origin, where the prior has little mass;
/// slerp keeps the norm.
/// </summary>
internal sealed class InterpolationFigure : GalleryFigure
{
    private const string DataName = "mnist-10k";
    private const int Latent = 20;
    private const int Steps = 10;
    private const int From = 0;
    private const int To = 1;
    private const ulong PriorSeed = 3;

    /// <inheritdoc/>
    public override string Id => "interpolation";

    /// <inheritdoc/>
    public override int Order => 15;

    /// <inheritdoc/>
    public override string Title => "Linear and spherical interpolation between real and generated images";

    /// <inheritdoc/>
    public override string Source => "Note E, Khan et al. 2018, Figure 6 (between generated images); Kingma et al. 2018, Figure 5 (between real images)";

    /// <inheritdoc/>
    public override string Caption =>
        "A VAE with a 20-D latent (784-400-20, Bernoulli likelihood) trained on mnist-10k. (a), (b): the path between the encoder "
        + "means of two real digits (items 0 and 1), decoded in 10 steps with the ends included, linearly, z(t) = (1 − t)a + tb, and "
        + "spherically (slerp), z(t) = sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b. (c), (d): the same between two draws from the prior "
        + "N(0, I), i.e. between two generated images. (e): the norm ‖z‖ along the four paths. A draw from a 20-D standard normal has a "
        + "norm near √20 ≈ 4.5; the linear path between two independent draws passes through codes of norm about √10 ≈ 3.2 at its "
        + "middle, a shell the prior (and the decoder's training) rarely visits, so its middle images fade or blur; slerp keeps the "
        + "norm between the ends' and its images stay digit-like. The images morph continuously along every path.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale) =>
    [
        $"latent train vae --data {DataName} --latent {Latent} --epochs {Epochs(scale)} --out runs/interpolation/vae",
        $"latent interpolate runs/interpolation/vae --data {DataName} --from {From} --to {To} --steps {Steps} --mode both --out real.png",
        $"latent interpolate runs/interpolation/vae --between-samples --seed {PriorSeed} --steps {Steps} --mode both --out generated.png",
        $"latent eval runs/interpolation/vae --data {DataName}",
    ];

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = context.Data(DataName);
        var data = all.Take(context.Choose(1500, all.Count, all.Count));
        var shape = data.ImageShape ?? new ImageShape(1, 28, 28);
        var trainer = new TrainerOptions { Epochs = Epochs(context.Scale), Seed = context.Seed, CheckpointEvery = 0 };
        var run = new TrainingRunOptions { Model = Presets.Defaults("vae", shape) with { Latent = Latent, Seed = context.Seed }, Trainer = trainer };
        var vae = context.Train("vae", run, data).Model;

        context.Report("interpolating", 0.9);
        var realEnds = Generation.EncodePair(vae, all.Row(From), all.Row(To));
        var priorEnds = Generation.PriorPair(vae.Latent, new Rng(PriorSeed));
        string pair = all.Labels is { } labels
            ? FormattableString.Invariant($"item {From} (a {labels[From]}) → item {To} (a {labels[To]})")
            : FormattableString.Invariant($"item {From} → item {To}");
        var paths = new (string Label, Tensor Ends, bool Spherical)[]
        {
            ($"(a) real digits, {pair}: linear", realEnds, false),
            ($"(b) real digits, {pair}: spherical (slerp)", realEnds, true),
            (FormattableString.Invariant($"(c) two prior draws z ~ N(0, I) (seed {PriorSeed}): linear"), priorEnds, false),
            (FormattableString.Invariant($"(d) two prior draws z ~ N(0, I) (seed {PriorSeed}): spherical (slerp)"), priorEnds, true),
        };

        var figure = new PlotFigure(paths.Length + 1, 1, 1000, 190);
        var norms = new double[paths.Length][];
        var t = Enumerable.Range(0, Steps).Select(s => (double)s / (Steps - 1)).ToArray();
        for (int p = 0; p < paths.Length; p++)
        {
            var codes = Generation.InterpolateCodes(paths[p].Ends.Row(0), paths[p].Ends.Row(1), Steps, paths[p].Spherical);
            norms[p] = Generation.CodeNorms(codes);
            PlotStyle.ImageGridPanel(figure[p, 0], vae.Decode(codes).Span, Steps, shape, paths[p].Label, Steps);
        }

        var chart = figure[paths.Length, 0];
        string[] names = ["real, linear", "real, spherical", "generated, linear", "generated, spherical"];
        for (int p = 0; p < paths.Length; p++)
        {
            var line = chart.Add.Scatter(t, norms[p]);
            line.LegendText = names[p];
            line.Color = PlotStyle.Palette[p < 2 ? 0 : 1];
            line.LinePattern = paths[p].Spherical ? ScottPlot.LinePattern.Solid : ScottPlot.LinePattern.Dashed;
            line.LineWidth = 2;
        }

        var prior = chart.Add.HorizontalLine(Math.Sqrt(Latent));
        prior.LegendText = FormattableString.Invariant($"√{Latent}: typical ‖z‖ of a prior draw");
        prior.Color = ScottPlot.Colors.Gray;
        prior.LinePattern = ScottPlot.LinePattern.Dotted;
        chart.Axes.SetLimitsY(0, 1.1 * Math.Max(norms.Max(n => n.Max()), Math.Sqrt(Latent)));
        chart.Axes.SetLimitsX(-0.02, 1.02);
        chart.Title("(e) the norm ‖z‖ along each path");
        chart.XLabel("t (position along the path)");
        chart.YLabel("‖z‖");
        chart.ShowLegend(ScottPlot.Edge.Right);

        var heldOut = data.Split(run.ValidationFraction, trainer.Seed).Validation;
        double elbo = -vae.Evaluate(heldOut, new Rng(context.Seed + 3)).Total;
        var endNorms = Generation.CodeNorms(priorEnds);
        string drawn = FormattableString.Invariant($"the two prior draws (seed {PriorSeed}) have ‖z‖ {endNorms[0]:F2} and {endNorms[1]:F2}");
        var numbers = new List<GalleryNumber>
        {
            new("held-out ELBO per image", elbo, null, "nats", FormattableString.Invariant($"{heldOut.Count:N0} held-out images, one posterior sample")),
            new("generated pair: mean ‖z‖ along the linear path", norms[2].Average(), null, string.Empty, drawn),
            new("generated pair: mean ‖z‖ along the spherical path", norms[3].Average(), null, string.Empty, drawn),
            new("generated pair: minimum ‖z‖ along the linear path", norms[2].Min(), null, string.Empty, "the linear path dips toward the origin"),
            new("generated pair: minimum ‖z‖ along the spherical path", norms[3].Min(), null, string.Empty, "slerp stays between the ends' norms (to within about 1%)"),
            new("generated pair: smaller end's ‖z‖", endNorms.Min(), null, string.Empty, FormattableString.Invariant($"√{Latent} ≈ {Math.Sqrt(Latent):F2} is the typical norm of a draw from N(0, I) in {Latent} dimensions")),
            new("real pair: minimum ‖z‖ along the linear path", norms[0].Min(), null, string.Empty, FormattableString.Invariant($"encoder means of items {From} and {To}")),
            new("real pair: minimum ‖z‖ along the spherical path", norms[1].Min(), null, string.Empty, FormattableString.Invariant($"encoder means of items {From} and {To}")),
        };
        string dataText = FormattableString.Invariant($"{DataName}: {data.Count - heldOut.Count:N0} training images, {heldOut.Count:N0} held out, {trainer.Epochs} epochs; real pair = items {From} and {To} of {DataName} (the papers: Glow on CelebA-HQ, a VAE on MNIST)");
        return new GalleryOutcome(figure, numbers, [], dataText);
    }

    private static int Epochs(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => 3,
        GalleryScale.Quick => 10,
        _ => 50,
    };
}

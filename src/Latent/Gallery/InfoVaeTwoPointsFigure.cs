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
/// The InfoVAE paper's Fig. 1: on data of two points {−1, 1}, the posteriors q(z | x = 1) and q(z | x = −1) of an
/// ELBO-trained VAE are pushed apart, away from the prior, while those of an InfoVAE (MMD) stay where the prior is.
/// </summary>
internal sealed class InfoVaeTwoPointsFigure : GalleryFigure
{
    /// <summary>σ of the Gaussian p(x | z): small, so that reconstructing the wrong point costs much (the paper's flexible decoder).</summary>
    internal const float Sigma = 0.02f;

    /// <summary>The InfoVAE's MMD weight λ.</summary>
    internal const float MmdWeight = 1000f;

    public override string Id => "infovae-two-points";

    public override int Order => 11;

    public override string Title => "InfoVAE on two points: the ELBO pushes the posteriors apart";

    public override string Source => "Note C; Zhao, Song & Ermon 2017 (InfoVAE), Figure 1";

    public override string Caption =>
        "Data of two points {−1, 1}, a 1-D latent, a Gaussian p(x|z) with σ = 0.02. Top: the posteriors q(z|x = 1) and "
        + "q(z|x = −1) (Gaussian densities from the encoder's mean and variance) against the N(0, 1) prior. The ELBO-trained "
        + "VAE (a) pushes them apart, away from 0, until they barely overlap and the aggregate q(z) is two bumps far "
        + "from the prior; the InfoVAE (b: vae + λ·MMD(q(z), p(z)), λ = 1000) keeps q(z) close to the prior, so the two "
        + "posteriors sit either side of 0 inside it. Bottom: the decoders' means f(z), the paper's p(x|z).";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        int epochs = Epochs(scale);
        string common = Invariant($"--data two-points --latent 1 --likelihood gaussian --sigma {Sigma} --epochs {epochs} --batch 100 --validation 0");
        return
        [
            $"latent train vae {common} --out runs/two-points-elbo",
            Invariant($"latent train infovae {common} --mmd-weight {MmdWeight} --out runs/two-points-infovae"),
            "latent encode runs/two-points-elbo --data two-points:n=2 --std --out elbo-posteriors.csv",
            "latent encode runs/two-points-infovae --data two-points:n=2 --std --out infovae-posteriors.csv",
            "latent eval runs/two-points-elbo --data two-points --iw-samples 0",
            "latent eval runs/two-points-infovae --data two-points --iw-samples 0",
        ];
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.Data("two-points");
        var trainer = new TrainerOptions { Epochs = Epochs(context.Scale), BatchSize = 100, Seed = context.Seed, CheckpointEvery = 0 };
        var models = new (string Name, string Part, AutoencoderOptions Options)[]
        {
            ("ELBO (vae)", "elbo", Presets.Defaults("vae", 1) with { Latent = 1, Likelihood = LikelihoodKind.Gaussian, Sigma = Sigma, Seed = context.Seed }),
            (Invariant($"InfoVAE (MMD, λ = {MmdWeight:G})"), "infovae", Presets.Defaults("infovae", 1) with { Latent = 1, Likelihood = LikelihoodKind.Gaussian, Sigma = Sigma, MmdWeight = MmdWeight, Seed = context.Seed }),
        };

        var points = Tensor.Zeros(2, 1);
        points[0, 0] = 1f;
        points[1, 0] = -1f;
        var figure = new PlotFigure(2, 2, 420, 300);
        var numbers = new List<GalleryNumber>();
        var rows = new List<IReadOnlyList<string>>();
        double[] zs = [.. Enumerable.Range(0, 321).Select(i => -4 + (i / 40.0))];
        for (int m = 0; m < models.Length; m++)
        {
            (string name, string part, var options) = models[m];
            context.Report($"training {part}", m / 2.0);
            var model = context.Train(part, new TrainingRunOptions { Model = options, Trainer = trainer, ValidationFraction = 0 }, data).Model;
            (var mean, var logVariance) = model.EncodePosterior(points);
            double muPlus = mean[0, 0], muMinus = mean[1, 0];
            double sdPlus = Math.Exp(0.5 * logVariance[0, 0]), sdMinus = Math.Exp(0.5 * logVariance[1, 0]);
            var evaluation = Evaluator.Evaluate(model, data, new EvaluationOptions { ImportanceSamples = 0, MmdItems = data.Count, Seed = context.Seed });

            string label = part == "elbo" ? "ELBO" : "InfoVAE";
            numbers.Add(new GalleryNumber($"{label}: mean of q(z|x=1)", muPlus));
            numbers.Add(new GalleryNumber($"{label}: sd of q(z|x=1)", sdPlus));
            numbers.Add(new GalleryNumber($"{label}: mean of q(z|x=−1)", muMinus));
            numbers.Add(new GalleryNumber($"{label}: sd of q(z|x=−1)", sdMinus));
            numbers.Add(new GalleryNumber($"{label}: distance between the posterior means", Math.Abs(muPlus - muMinus)));
            numbers.Add(new GalleryNumber($"{label}: MMD²(q(z), p(z))", evaluation.Mmd!.Value, null, string.Empty, "Gaussian kernel, as latent eval measures it; 0 when the aggregate posterior is the prior"));
            numbers.Add(new GalleryNumber($"{label}: ELBO", evaluation.Elbo!.Value, null, "nats"));
            rows.Add([name, Invariant($"{muPlus:F3} ± {sdPlus:F3}"), Invariant($"{muMinus:F3} ± {sdMinus:F3}"), Invariant($"{Math.Abs(muPlus - muMinus):F3}"), Invariant($"{evaluation.Mmd.Value:F4}"), Invariant($"{evaluation.Elbo.Value:F3}")]);

            var densities = PlotStyle.Apply(figure[0, m]);
            var prior = densities.Add.Scatter(zs, [.. zs.Select(z => Density(z, 0, 1))], Colors.Gray);
            prior.LegendText = "prior N(0, 1)";
            prior.LinePattern = LinePattern.Dashed;
            prior.MarkerSize = 0;
            AddDensity(densities, zs, muPlus, sdPlus, PlotStyle.Colour(3), "q(z | x = 1)");
            AddDensity(densities, zs, muMinus, sdMinus, PlotStyle.Colour(2), "q(z | x = −1)");
            densities.Title($"({(char)('a' + m)}) {name}");
            densities.XLabel("z");
            densities.YLabel("density");
            densities.ShowLegend(Alignment.UpperRight);

            var decoded = model.Decode(Tensor.FromArray([.. zs.Select(z => (float)z)], zs.Length, 1));
            var decoder = PlotStyle.Apply(figure[1, m]);
            var line = decoder.Add.Scatter(zs, [.. decoded.Span.ToArray().Select(v => (double)v)], PlotStyle.Colour(0));
            line.MarkerSize = 0;
            line.LineWidth = 2;
            decoder.Title($"({(char)('c' + m)}) {label}: mean of p(x | z)");
            decoder.XLabel("z");
            decoder.YLabel("f(z)");
            decoder.Axes.SetLimitsY(-1.3, 1.3);
        }

        figure.ShareX();
        var table = new GalleryTable("Posteriors of the two points", ["model", "q(z|x=1): mean ± sd", "q(z|x=−1): mean ± sd", "distance", "MMD²(q(z), p(z))", "ELBO (nats)"], rows).Validate();
        return new GalleryOutcome(figure, numbers, [table], Invariant($"two-points: {data.Count} items, half at −1 and half at +1 (the paper's two-point data)"));
    }

    private static void AddDensity(Plot plot, double[] zs, double mean, double sd, Color colour, string label)
    {
        var curve = plot.Add.Scatter(zs, [.. zs.Select(z => Density(z, mean, sd))], colour);
        curve.LegendText = label;
        curve.MarkerSize = 0;
        curve.LineWidth = 2;
        curve.FillY = true;
        curve.FillYColor = colour.WithAlpha(0.15);
    }

    // The normal density, for drawing the curves.
    private static double Density(double z, double mean, double sd) =>
        Math.Exp(-0.5 * ((z - mean) / sd) * ((z - mean) / sd)) / (sd * Math.Sqrt(2 * Math.PI));

    private static int Epochs(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => 150,
        GalleryScale.Quick => 300,
        _ => 1000,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

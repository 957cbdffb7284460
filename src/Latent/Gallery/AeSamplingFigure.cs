using System.Globalization;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Sampling from autoencoders (Note A, Note B): a deterministic autoencoder's code space is not continuous, so
/// decoding N(0, I) draws gives garbage; decoding draws from a Gaussian mixture fitted to its training codes
/// gives digits; a VAE, trained to match N(0, I), samples from the prior directly.
/// </summary>
internal sealed class AeSamplingFigure : GalleryFigure
{
    private const string DataName = "mnist-10k";
    private const int MixtureComponents = 10;

    /// <inheritdoc/>
    public override string Id => "ae-sampling";

    /// <inheritdoc/>
    public override int Order => 8;

    /// <inheritdoc/>
    public override string Title => "Sampling from autoencoders: N(0, I) codes, a mixture fitted to the codes, and a VAE";

    /// <inheritdoc/>
    public override string Source => "Note A (an autoencoder's code space is not continuous: random codes decode to garbage; the VAE fixes that); Note B, \"Sampling from an autoencoder\"";

    /// <inheritdoc/>
    public override string Caption =>
        "(a) A deterministic autoencoder (784-400-20) decoding codes drawn from N(0, I): its codes were never asked to fill that "
        + "ball, so most draws land where no digit was encoded and decode to blobs and fragments. (b) The same decoder on draws from a "
        + $"{MixtureComponents}-component full-covariance Gaussian mixture fitted by EM to its training codes (latent sample --prior gmm:{MixtureComponents}): "
        + "digits again. (c) A VAE (784-400-20) decoding N(0, I) draws, the prior its KL term pulled the codes towards. (d) Held-out real "
        + "digits for reference. The number under each panel is the mean distance of the images to their nearest training image, "
        + "both scaled to unit length (√(2 − 2 cos θ), 0 for the same shape; latent sample --nearest prints it): garbage lies far from "
        + "every digit, samples that look like digits come about as close as held-out digits do. (Unscaled Euclidean distance cannot "
        + "tell them apart: faint, shapeless images are close to thin digits. The measure would also reward copying training images, "
        + "so read it beside the pictures.) The last line of each title measures "
        + $"{SampleQualityNumbers.Samples(GalleryScale.Quick):N0} draws ({SampleQualityNumbers.Samples(GalleryScale.Full):N0} at full scale) against the held-out digits in the features of a classifier trained on the "
        + "digits (latent eval's sample quality): FD the Fréchet distance (lower is better), the classes the classifier finds, and k-NN "
        + "precision (samples that look real) and recall (real digits the samples cover); under (d), training digits measured the same way give the floor.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        int epochs = MnistAutoencoderTraining.Epochs(scale);
        return
        [
            $"latent train ae --data {DataName} --epochs {epochs}{MnistAutoencoderTraining.BatchOption(scale)} --out runs/ae-sampling/ae",
            $"latent train vae --data {DataName} --epochs {epochs}{MnistAutoencoderTraining.BatchOption(scale)} --out runs/ae-sampling/vae",
            $"latent sample runs/ae-sampling/ae --prior standard --count 36 --nearest {DataName} --out ae-normal.png",
            $"latent sample runs/ae-sampling/ae --prior gmm:{MixtureComponents} --count 36 --nearest {DataName} --out ae-gmm.png",
            $"latent sample runs/ae-sampling/vae --count 36 --nearest {DataName} --out vae.png",
            $"latent eval runs/ae-sampling/vae --data {DataName} --iw-samples 0 --quality-samples {SampleQualityNumbers.Samples(scale)}   # sample quality against all of {DataName}",
        ];
    }

    /// <inheritdoc/>
    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = context.Data(DataName);
        var data = all.Take(context.Choose(3000, all.Count, all.Count));
        var shape = data.ImageShape ?? new ImageShape(1, 28, 28);
        var trainer = MnistAutoencoderTraining.Trainer(context);
        var aeRun = new TrainingRunOptions { Model = Presets.Defaults("ae", shape) with { Seed = context.Seed }, Trainer = trainer };
        var ae = context.Train("ae", aeRun, data).Model;
        context.Report("training vae", 0.4);
        var vae = context.Train("vae", new TrainingRunOptions { Model = Presets.Defaults("vae", shape) with { Seed = context.Seed }, Trainer = trainer }, data).Model;

        context.Report("fitting the mixture prior", 0.8);
        // The same call as latent sample: fitted to the data the run was trained on, saved in the run folder and reused.
        var mixture = RunPrior.Resolve(Path.Combine(context.Folder, "ae"), ae, CodePriorSpec.Mixture(MixtureComponents), _ => data, seed: context.Seed).Prior;
        int count = context.Choose(36, 36, 64);
        (var train, var heldOut) = data.Split(aeRun.ValidationFraction, trainer.Seed);
        int measured = Math.Min(heldOut.Count, context.Choose(200, 500, 1000));
        ulong seed = context.Seed + 7;
        var aeNormal = CodePrior.Standard(ae.Latent).Sample(ae, measured, seed);
        var aeMixture = mixture.Sample(ae, measured, seed);
        var vaeNormal = CodePrior.Standard(vae.Latent).Sample(vae, measured, seed);
        var real = heldOut.Take(measured).Features;

        context.Report("measuring", 0.9);
        var reference = train.Features;
        double dNormal = NearestNeighbourDistance.Mean(aeNormal, reference, normalize: true);
        double dMixture = NearestNeighbourDistance.Mean(aeMixture, reference, normalize: true);
        double dVae = NearestNeighbourDistance.Mean(vaeNormal, reference, normalize: true);
        double dReal = NearestNeighbourDistance.Mean(real, reference, normalize: true);

        // Quality in the digit classifier's features: many more draws of each, against the held-out digits.
        context.Report("sample quality", 0.95);
        var quality = SampleQualityNumbers.For(context, DataName, heldOut, "the held-out digits");
        ulong qualitySeed = context.Seed + 8;
        var qNormal = quality.Measure(CodePrior.Standard(ae.Latent).Sample(ae, quality.Count, qualitySeed));
        var qMixture = quality.Measure(mixture.Sample(ae, quality.Count, qualitySeed));
        var qVae = quality.Measure(vae);
        var qReal = quality.Floor(train);

        int side = (int)Math.Ceiling(Math.Sqrt(count));
        var figure = new PlotFigure(1, 4, 340, 370);
        PlotStyle.ImageGridPanel(figure[0, 0], aeNormal.Span[..(count * data.Dimension)], count, shape, FormattableString.Invariant($"(a) AE, z ~ N(0, I)\nnearest-shape distance {dNormal:F2}\n{SampleQualityNumbers.Short(qNormal)}"), side);
        PlotStyle.ImageGridPanel(figure[0, 1], aeMixture.Span[..(count * data.Dimension)], count, shape, FormattableString.Invariant($"(b) AE, z ~ GMM-{MixtureComponents} of its codes\nnearest-shape distance {dMixture:F2}\n{SampleQualityNumbers.Short(qMixture)}"), side);
        PlotStyle.ImageGridPanel(figure[0, 2], vaeNormal.Span[..(count * data.Dimension)], count, shape, FormattableString.Invariant($"(c) VAE, z ~ N(0, I)\nnearest-shape distance {dVae:F2}\n{SampleQualityNumbers.Short(qVae)}"), side);
        PlotStyle.ImageGridPanel(figure[0, 3], real.Span[..(count * data.Dimension)], count, shape, FormattableString.Invariant($"(d) held-out real digits\nnearest-shape distance {dReal:F2}\nfloor (training digits): FD {qReal.Frechet:F1}"), side);

        string comment = FormattableString.Invariant($"mean distance between unit-length images, {measured} images to the nearest of {train.Count:N0} training images");
        var numbers = new List<GalleryNumber>
        {
            new("AE decoding N(0, I) draws: distance to the nearest training image at unit length", dNormal, null, string.Empty, comment),
            new($"AE decoding GMM-{MixtureComponents} draws: distance to the nearest training image at unit length", dMixture, null, string.Empty, comment),
            new("VAE decoding N(0, I) draws: distance to the nearest training image at unit length", dVae, null, string.Empty, comment),
            new("held-out real digits: distance to the nearest training image at unit length", dReal, null, string.Empty, comment),
        };
        var qualities = new (string Label, SampleQuality Quality)[]
        {
            ("AE, z ~ N(0, I)", qNormal),
            ($"AE, z ~ GMM-{MixtureComponents}", qMixture),
            ("VAE, z ~ N(0, I)", qVae),
            ("real training digits (the floor)", qReal),
        };
        numbers.AddRange(qualities.SelectMany(q => quality.Numbers(q.Label, q.Quality)));
        string dataText = FormattableString.Invariant($"{DataName}: {train.Count:N0} training images, {heldOut.Count:N0} held out; {trainer.Epochs} epochs each, 784-400-20, Bernoulli likelihood; the mixture is fitted to the codes of all {data.Count:N0} images, as latent sample fits it to the run's data");
        return new GalleryOutcome(figure, numbers, [quality.Table(qualities)], dataText);
    }
}

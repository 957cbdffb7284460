using System.Globalization;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Tensors;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Note B's denoising autoencoder: held-out digits corrupted by Gaussian noise, x̃ = x + ε, the outputs of the
/// <c>denoising-ae</c> preset (trained to return x from x̃) beside those of a plain <c>ae</c> (trained on clean
/// x), and the squared error of each against the clean images.
/// </summary>
internal sealed class DenoisingFigure : GalleryFigure
{
    private const string DataName = "mnist-10k";
    private const int Shown = 10;

    /// <inheritdoc/>
    public override string Id => "denoising";

    /// <inheritdoc/>
    public override int Order => 7;

    /// <inheritdoc/>
    public override string Title => "The denoising autoencoder against a plain one on noisy digits";

    /// <inheritdoc/>
    public override string Source => "Note B, denoising autoencoder (x̃ = x + ε, ε ~ N(0, σ²I), trained to return x); Note E, regularised autoencoders";

    /// <inheritdoc/>
    public override string Caption =>
        "Rows: (a) held-out clean digits x; (b) the same corrupted, x̃ = x + ε with ε ~ N(0, σ²I) at the σ the denoising-ae preset "
        + "trains with; (c) the denoising autoencoder's outputs f(g(x̃)); (d) a plain autoencoder's (same 784-400-20 net, trained on "
        + "clean digits). Each row's title gives its mean squared error per image ‖· − x‖² against the clean digits over the whole "
        + "held-out split: the denoiser, trained to map x̃ back to x, removes the noise; the plain autoencoder passes part of it "
        + "through and its outputs drift from the digits.";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        int epochs = MnistAutoencoderTraining.Epochs(scale);
        return
        [
            $"latent train denoising-ae --data {DataName} --epochs {epochs}{MnistAutoencoderTraining.BatchOption(scale)} --out runs/denoising/denoising-ae",
            $"latent train ae --data {DataName} --epochs {epochs}{MnistAutoencoderTraining.BatchOption(scale)} --out runs/denoising/ae",
            $"latent reconstruct runs/denoising/denoising-ae --data {DataName} --noise 0.3 --count {Shown} --out denoising-ae.png",
            $"latent reconstruct runs/denoising/ae --data {DataName} --noise 0.3 --count {Shown} --out ae.png",
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
        var denoiserOptions = Presets.Defaults("denoising-ae", shape) with { Seed = context.Seed };
        var denoiser = context.Train("denoising-ae", new TrainingRunOptions { Model = denoiserOptions, Trainer = trainer }, data).Model;
        context.Report("training ae", 0.5);
        var plain = context.Train("ae", new TrainingRunOptions { Model = Presets.Defaults("ae", shape) with { Seed = context.Seed }, Trainer = trainer }, data).Model;

        context.Report("measuring", 0.9);
        var heldOut = data.Split(new TrainingRunOptions { Model = denoiserOptions }.ValidationFraction, trainer.Seed).Validation;
        float sigma = denoiserOptions.NoiseLevel;
        var denoised = DenoisingError.Measure(denoiser, heldOut.Features, NoiseKind.Gaussian, sigma, new Rng(context.Seed + 1));
        var passed = DenoisingError.Measure(plain, heldOut.Features, NoiseKind.Gaussian, sigma, new Rng(context.Seed + 1));

        int d = data.Dimension;
        var figure = new PlotFigure(4, 1, 760, 118);
        Panel(figure[0, 0], heldOut.Features, shape, "(a) held-out clean digits x");
        Panel(figure[1, 0], denoised.Noisy, shape, FormattableString.Invariant($"(b) noisy inputs x̃ = x + ε, σ = {sigma:G2}: error {denoised.MeanNoisyError:F1}"));
        Panel(figure[2, 0], denoised.Outputs, shape, FormattableString.Invariant($"(c) denoising autoencoder f(g(x̃)): error {denoised.MeanOutputError:F1}"));
        Panel(figure[3, 0], passed.Outputs, shape, FormattableString.Invariant($"(d) plain autoencoder f(g(x̃)): error {passed.MeanOutputError:F1}"));

        string comment = FormattableString.Invariant($"σ = {sigma:G2}, {heldOut.Count:N0} held-out images");
        var numbers = new List<GalleryNumber>
        {
            new("noisy inputs x̃: squared error per image against x", denoised.MeanNoisyError, null, string.Empty, comment),
            new("denoising autoencoder: squared error per image against x", denoised.MeanOutputError, null, string.Empty, comment),
            new("plain autoencoder: squared error per image against x", passed.MeanOutputError, null, string.Empty, comment),
        };
        string dataText = FormattableString.Invariant($"{DataName}: {data.Count - heldOut.Count:N0} training images, {heldOut.Count:N0} held out; {trainer.Epochs} epochs each, 784-400-20, Bernoulli likelihood");
        return new GalleryOutcome(figure, numbers, [], dataText);

        void Panel(ScottPlot.Plot plot, Tensor images, ImageShape imageShape, string title) =>
            PlotStyle.ImageGridPanel(plot, images.Span[..(Shown * d)], Shown, imageShape, title, columns: Shown);
    }
}

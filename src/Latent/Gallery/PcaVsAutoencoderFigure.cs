using System.Globalization;
using Latent.Classical;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Training;
using Latent.Visuals;

namespace Latent.Gallery;

/// <summary>
/// Hinton and Salakhutdinov (2006), Fig. 3: 2-D codes of held-out digits from PCA beside those of a deep
/// 784-1000-500-250-2 autoencoder, and the squared reconstruction error per image of a 30-D deep autoencoder
/// against 30-D PCA.
/// </summary>
internal sealed class PcaVsAutoencoderFigure : GalleryFigure
{
    private const double HeldOut = 0.1;
    private static readonly int[] s_hidden = [1000, 500, 250];

    public override string Id => "pca-vs-ae-2d";

    public override int Order => 5;

    public override string Title => "PCA against a deep autoencoder: 2-D codes and reconstruction error";

    public override string Source => "Note C, Hinton & Salakhutdinov 2006, Figure 3 and the MNIST reconstruction errors";

    public override string Caption =>
        "(A) The held-out digits projected on the first two principal components of the training digits, and (B) the 2-D codes of a deep "
        + "784-1000-500-250-2 autoencoder, coloured by class: PCA's classes overlap in one blob, the autoencoder spreads them into arms. "
        + "The table compares the squared reconstruction error per held-out image (the sum over the 784 pixels in [0, 1] units, averaged "
        + "over images) of a 784-1000-500-250-30 autoencoder and 30-D PCA. The paper pretrained with stacked RBMs; Latent trains the same "
        + "nets end to end with Adam (ReLU hidden layers, linear code, Bernoulli output), no pretraining.";

    public override IReadOnlyList<string> Commands(GalleryScale scale)
    {
        int epochs = Epochs(scale);
        return
        [
            "latent fit pca --data mnist-10k --components 2 --out runs/pca2",
            string.Create(CultureInfo.InvariantCulture, $"latent train ae --data mnist-10k --hidden 1000,500,250 --latent 2 --epochs {epochs} --out runs/deep-ae-2"),
            string.Create(CultureInfo.InvariantCulture, $"latent train ae --data mnist-10k --hidden 1000,500,250 --latent 30 --epochs {epochs} --out runs/deep-ae-30"),
            "latent encode runs/deep-ae-2 --data mnist-10k --out codes.npy",
            "latent eval runs/deep-ae-30 --data mnist-10k",
        ];
    }

    public override GalleryOutcome Run(GalleryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool full = context.IsAvailable("mnist");
        var all = context.Data(full ? "mnist" : "mnist-10k");
        var data = context.Scale == GalleryScale.Toy ? all.Take(1500) : all;
        (var train, var heldOut) = data.Split(HeldOut, context.Seed);

        context.Report("PCA", 0);
        var pca2 = Pca.Fit(train.Features, new PcaOptions { Components = 2, Seed = context.Seed });
        var pca30 = Pca.Fit(train.Features, new PcaOptions { Components = 30, Seed = context.Seed });
        using var pcaCodes = pca2.Transform(heldOut.Features);
        double pca30Error = pca30.ReconstructionError(heldOut.Features);
        double pca2Error = pca2.ReconstructionError(heldOut.Features);

        var trainer = new TrainerOptions { Epochs = Epochs(context.Scale), Seed = context.Seed };
        var ae2 = context.Train("deep-ae-2", Options(2, trainer, context.Seed), data).Model;
        var ae30 = context.Train("deep-ae-30", Options(30, trainer, context.Seed), data).Model;
        context.Report("measuring", 0.9);
        using var aeCodes = ae2.Encode(heldOut.Features);
        double ae30Error = ReconstructionError.Measure(ae30, heldOut.Features).MeanSquaredError;
        double ae2Error = ReconstructionError.Measure(ae2, heldOut.Features).MeanSquaredError;

        var figure = new PlotFigure(1, 2, 520, 480);
        var labels = heldOut.Labels!;
        Scatter(figure[0, 0], pcaCodes, labels, "(A) PCA: first two principal components", "principal component 1", "principal component 2");
        Scatter(figure[0, 1], aeCodes, labels, "(B) Autoencoder 784-1000-500-250-2: codes", "code 1", "code 2");

        string dataName = full ? "MNIST" : "mnist-10k";
        string comment = string.Create(CultureInfo.InvariantCulture, $"{dataName}, {heldOut.Count} held-out images; Adam, {trainer.Epochs} epochs, no RBM pretraining");
        var numbers = new List<GalleryNumber>
        {
            new("30-D deep autoencoder, squared error per image", ae30Error, 3.00, string.Empty, comment),
            new("30-D PCA, squared error per image", pca30Error, 13.87, string.Empty, comment),
            new("2-D deep autoencoder, squared error per image", ae2Error, null, string.Empty, comment),
            new("2-D PCA, squared error per image", pca2Error, null, string.Empty, comment),
        };
        var c = CultureInfo.InvariantCulture;
        var table = new GalleryTable(
            "Squared reconstruction error per held-out image (sum over pixels in [0, 1], mean over images)",
            ["code", "method", "published (MNIST)", "measured"],
            [
                ["30", "deep autoencoder 784-1000-500-250-30", "3.00", ae30Error.ToString("F2", c)],
                ["30", "PCA", "13.87", pca30Error.ToString("F2", c)],
                ["2", "deep autoencoder 784-1000-500-250-2", "–", ae2Error.ToString("F2", c)],
                ["2", "PCA", "–", pca2Error.ToString("F2", c)],
            ]).Validate();
        string scaleNote = context.Scale == GalleryScale.Full ? string.Empty : $" ({context.Scale} scale: {trainer.Epochs} epochs{(context.Scale == GalleryScale.Toy ? $", the first {data.Count} images" : string.Empty)})";
        string text = string.Create(c,
            $"{(full ? "MNIST" : "mnist-10k (full MNIST is not on this machine)")}: {train.Count} training images, {heldOut.Count} held out (a stratified split, seed {context.Seed}); every point and error is a held-out image{scaleNote}. The paper plots 500 test digits per class and reports errors on the 10,000 MNIST test images.");
        return new GalleryOutcome(figure, numbers, [table], text);
    }

    private static int Epochs(GalleryScale scale) => scale switch
    {
        GalleryScale.Toy => 3,
        GalleryScale.Quick => 20,
        _ => 50,
    };

    private static TrainingRunOptions Options(int latent, TrainerOptions trainer, ulong seed) => new()
    {
        Model = Presets.Defaults("ae", 784) with { Hidden = s_hidden, Latent = latent, Seed = seed },
        Trainer = trainer,
        ValidationFraction = HeldOut,
    };

    private static void Scatter(ScottPlot.Plot plot, Tensors.Tensor codes, IReadOnlyList<int> labels, string title, string x, string y)
    {
        var xs = new double[codes.Rows];
        var ys = new double[codes.Rows];
        for (int i = 0; i < codes.Rows; i++)
        {
            xs[i] = codes[i, 0];
            ys[i] = codes[i, 1];
        }

        PlotStyle.ClassScatter(plot, xs, ys, labels, markerSize: 3);
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
    }
}

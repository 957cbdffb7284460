// The code of the README's "Use it from C#" section: each region between "// <snippet name>" and
// "// </snippet>" is the README's csharp block under "<!-- snippet: name -->", character for character (less
// the region's common indentation). ReadmeSnippetsTests runs this code and compares; after editing a region,
// LATENT_UPDATE_README=1 dotnet test -c Release --filter "FullyQualifiedName~ReadmeSnippets" copies it into
// the README.

// <snippet usings>
using Latent.Classical;
using Latent.Data;
using Latent.Models;
using Latent.Onnx;
using Latent.Tensors;
using Latent.Training;
// </snippet>

namespace Latent.Tests.Docs;

/// <summary>What the README's snippets computed, for the test to check.</summary>
internal sealed record ReadmeSnippetResults(
    Dataset Digits,
    PcaModel Pca,
    Tensor PcaCodes,
    PcaModel PcaReloaded,
    KMeansModel KMeans,
    int[] Clusters,
    TrainingResult Training,
    Tensor Codes,
    Tensor Samples,
    Tensor Reconstructions,
    Autoencoder Loaded,
    Tensor LoadedCodes,
    AdversarialTrainingResult Gan,
    Tensor Generated);

/// <summary>The README's snippets, in the README's order; relative paths are in the current directory.</summary>
internal static class ReadmeSnippets
{
    public static ReadmeSnippetResults Run()
    {
        // <snippet data>
        // Any catalog name (mnist-10k, fashion-mnist, blobs, ...) or a path to an IDX, NPY, CSV or PNG-folder data set.
        Dataset digits = new DatasetCatalog().Load("digits-8x8").ScaleToUnit(0, 16);   // 1797 × 64, in [0, 1]
        // </snippet>

        // <snippet pca>
        PcaModel pca = new PcaOptions { Components = 10 }.Fit(digits.Features);
        Tensor pcaCodes = pca.Transform(digits.Features);   // [1797, 10]
        Console.WriteLine($"10 components explain {pca.ExplainedVarianceRatio.Sum():P1} of the variance");
        pca.Save("digits-pca.safetensors");                 // `latent transform` reads it too
        PcaModel pcaAgain = PcaModel.Load("digits-pca.safetensors");
        // </snippet>

        // <snippet kmeans>
        KMeansModel kmeans = new KMeansOptions { Clusters = 10, Restarts = 4, Seed = 1 }.Fit(digits.Features);
        int[] clusters = kmeans.Predict(digits.Features);   // a cluster per image
        Console.WriteLine($"inertia {kmeans.Inertia:F1} after {kmeans.Iterations} iterations");
        // </snippet>

        // <snippet train>
        var (train, validation) = digits.Split(validationFraction: 0.1, seed: 1);   // stratified by label
        Autoencoder vae = Presets.Create("vae", digits.Dimension, options => options with { Latent = 2 });
        var trainer = new Trainer(new TrainerOptions { Epochs = 10, BatchSize = 64, Seed = 1 }, new PrintProgress());
        TrainingResult result = trainer.Fit(vae, train, validation);                // keeps the best epoch's parameters
        Console.WriteLine($"best epoch {result.BestEpoch} of {result.History.Epochs.Count}");
        // </snippet>

        // <snippet encode>
        Tensor codes = vae.Encode(digits.Features);                  // posterior means: [1797, 2]
        Tensor samples = vae.Sample(16, new Rng(seed: 7));           // decoded z ~ N(0, I): [16, 64]
        Tensor reconstructions = vae.Reconstruct(digits.Features);   // [1797, 64]
        // </snippet>

        // <snippet save>
        ModelFile.Save(vae, "digits-vae.safetensors");                   // what `latent train` writes
        Autoencoder loaded = ModelFile.Load("digits-vae.safetensors");   // or "runs/vae/model.safetensors"
        Tensor loadedCodes = loaded.Encode(digits.Features);             // the same codes, bit for bit
        // </snippet>

        // <snippet onnx>
        // For ONNX Runtime (C#, Python, C++, Triton): input "input" [batch, 64]; outputs "mean" and "log_variance".
        OnnxExport.Save(OnnxExport.Export(vae, OnnxPart.Encoder), "digits-vae-encoder.onnx");
        OnnxExport.Save(OnnxExport.Export(kmeans), "digits-kmeans.onnx");   // outputs "label" (int64) and "distances"
        // </snippet>

        // <snippet gan>
        var dcgan = AdversarialPresets.Defaults("dcgan", digits.ImageShape!.Value);   // DCGAN's nets sized to 1×8×8
        var rates = AdversarialPresets.RecommendedTrainer("dcgan");                  // Adam 2e-4 for both, β₁ 0.5
        var ganTrainer = new AdversarialTrainer(new TrainerOptions
        {
            Epochs = 3,
            BatchSize = 64,
            Seed = 1,
            Beta1 = rates.Beta1,
            LearningRate = rates.GeneratorLearningRate,
            DiscriminatorLearningRate = rates.DiscriminatorLearningRate,
        });
        AdversarialTrainingResult game = ganTrainer.Fit(new AdversarialNetwork(dcgan), digits);   // D and G losses per epoch in the history's metrics
        Tensor generated = game.Network.Sample(16, seed: 7);                                    // [16, 64], in [0, 1]
        AdversarialModelFile.Save(game.Network, "digits-dcgan.safetensors");                    // `latent sample` reads it too
        // </snippet>

        return new ReadmeSnippetResults(digits, pca, pcaCodes, pcaAgain, kmeans, clusters, result, codes, samples, reconstructions, loaded, loadedCodes, game, generated);
    }
}

// <snippet observer>
/// <summary>Prints a line per epoch; the other callbacks (per step, start, end) have empty defaults.</summary>
internal sealed class PrintProgress : ITrainingObserver
{
    public void EpochCompleted(EpochRecord record) =>
        Console.WriteLine($"epoch {record.Epoch}: train {record.Train.Total:F2}, validation {record.Validation?.Total:F2}");
}
// </snippet>

using System.CommandLine;
using Latent.Classical;
using Latent.Data;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// <c>latent transform MODEL --data DATA --out codes.npy</c>: codes from a fitted classical model (PCA projections,
/// posterior means for probabilistic PCA and factor analysis, distances to the centres for k-means, component
/// probabilities for a Gaussian mixture).
/// </summary>
internal static class TransformCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "A model.safetensors written by latent fit." };
        var data = new Option<string>("--data") { Description = "A catalog name or a path: IDX, NPY, NPZ, CSV or a folder of PNGs (see latent datasets --help).", Required = true };
        var output = new Option<string>("--out") { Description = "The NPY file to write.", Required = true };
        var command = new Command("transform", "Encode data with a fitted classical model and write the codes (NPY or CSV, by the extension of --out).");
        command.Arguments.Add(model);
        command.Options.Add(data);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            Tensor codes = Run(parseResult.GetValue(model)!, CliData.Load(parseResult.GetValue(data)!), parseResult.GetValue(output)!);
            Console.WriteLine($"wrote {codes.Rows} × {codes.Columns} codes to {parseResult.GetValue(output)}");
            return 0;
        });
        return command;
    }

    public static Tensor Run(string modelPath, Dataset dataset, string output)
    {
        TableOutput.Check(output);
        modelPath = RunFiles.ModelFileOf(modelPath);
        Tensor x = dataset.Features;
        GanRuns.Refuse(modelPath, "transform", "a classical model (latent fit)");
        Tensor codes = ClassicalModelFile.Load(modelPath) switch
        {
            PcaModel pca => pca.Transform(x),
            ProbabilisticPcaModel ppca => ppca.Transform(x),
            FactorAnalysisModel fa => fa.Transform(x),
            KMeansModel kmeans => kmeans.Transform(x),
            GaussianMixtureModel gmm => gmm.PredictProba(x),
            var other => throw new ArgumentException($"{modelPath} holds a {other.GetType().Name}, which has no transform."),
        };
        TableOutput.Write(output, codes, dataset.Labels);
        return codes;
    }
}

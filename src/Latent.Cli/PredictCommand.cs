using System.CommandLine;
using Latent.Classical;
using Latent.Data;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent predict MODEL --data DATA --out labels.csv</c>: cluster or component labels from k-means or a mixture.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "A k-means or Gaussian-mixture model.safetensors written by latent fit." };
        var data = new Option<string>("--data") { Description = "A catalog name or a path: IDX, NPY, NPZ, CSV or a folder of PNGs (see latent datasets --help).", Required = true };
        var output = new Option<string>("--out") { Description = "The CSV file to write (one label per line, with a header).", Required = true };
        var command = new Command("predict", "Assign every sample to a cluster or mixture component and write the labels as CSV.");
        command.Arguments.Add(model);
        command.Options.Add(data);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            int[] labels = Run(parseResult.GetValue(model)!, CliData.Load(parseResult.GetValue(data)!), parseResult.GetValue(output)!);
            Console.WriteLine($"wrote {labels.Length} labels to {parseResult.GetValue(output)}");
            return 0;
        });
        return command;
    }

    public static int[] Run(string modelPath, Dataset dataset, string output)
    {
        TableOutput.Check(output);
        modelPath = RunFiles.ModelFileOf(modelPath);
        GanRuns.Refuse(modelPath, "predict", "a k-means or Gaussian mixture model (latent fit)");
        int[] labels = ClassicalModelFile.Load(modelPath) switch
        {
            KMeansModel kmeans => kmeans.Predict(dataset.Features),
            GaussianMixtureModel gmm => gmm.Predict(dataset.Features),
            _ => throw new ArgumentException($"{modelPath} holds a {ClassicalModelFile.Method(modelPath)} model, which does not predict labels; use latent transform."),
        };
        TableOutput.WriteLabels(output, labels);
        return labels;
    }
}

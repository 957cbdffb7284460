using System.CommandLine;
using Latent.Data;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent encode RUN --data DATA --out codes.npy|csv</c>: the mean code of every item.</summary>
internal static class EncodeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path.", Required = true };
        var output = new Option<string>("--out") { Description = "Output file: .npy or .csv.", Required = true };
        var deviation = new Option<bool>("--std") { Description = "Variational models: also write each code's posterior standard deviation σ(x), after the means (CSV columns sd0, sd1, ...)." };
        var command = new Command("encode", "Write the code of every item (the posterior mean for a VAE) as NPY or CSV.");
        command.Arguments.Add(run);
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(deviation);
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(output)!;
            TableOutput.Check(path);
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "encode");
            var dataset = CliData.Load(parsed.GetValue(data)!, model.Inputs);
            var codes = model.Encode(dataset.Features);
            string[] names = [.. Enumerable.Range(0, model.Latent).Select(i => $"z{i}")];
            if (parsed.GetValue(deviation))
            {
                (var mean, var logVariance) = model.EncodePosterior(dataset.Features);
                codes = Tensor.Zeros(mean.Rows, 2 * model.Latent);
                for (int i = 0; i < mean.Rows; i++)
                {
                    mean.Row(i).CopyTo(codes.Row(i));
                    var sd = codes.Row(i)[model.Latent..];
                    logVariance.Row(i).CopyTo(sd);
                    for (int j = 0; j < sd.Length; j++)
                    {
                        sd[j] = MathF.Exp(0.5f * sd[j]);
                    }
                }

                names = [.. names, .. Enumerable.Range(0, model.Latent).Select(i => $"sd{i}")];
            }

            TableOutput.Write(path, codes, dataset.Labels, names);

            return 0;
        });
        return command;
    }
}

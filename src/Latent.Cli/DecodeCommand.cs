using System.CommandLine;
using Latent.Data;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent decode RUN --codes codes.npy --out x.png|x.npy</c>: the decoder's means for given codes.</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file) of an autoencoder." };
        var codes = new Option<string>("--codes") { Description = "An NPY array of codes [n, latent] (float or integer).", Required = true };
        var output = new Option<string>("--out") { Description = "Output: a PNG grid, or the decoded items as an array if the name ends in .npy.", Required = true };
        var columns = new Option<int>("--columns") { Description = "Images per row of the PNG grid (0: about square).", DefaultValueFactory = _ => 0 };
        var command = new Command("decode", "Decode given codes with an autoencoder's decoder (the means of p(x | z)) and write them as a PNG grid or NPY.");
        command.Arguments.Add(run);
        command.Options.Add(codes);
        command.Options.Add(output);
        command.Options.Add(columns);
        command.SetAction(parsed =>
        {
            var model = GanRuns.LoadAutoencoder(parsed.GetValue(run)!, "decode");
            string codesPath = parsed.GetValue(codes)!;
            var array = Npy.Read(codesPath);
            int latent = array.Shape.Length == 1 ? array.Shape[0] : array.RowLength;
            int rows = array.Shape.Length == 1 ? 1 : array.Rows;
            if (array.Shape.Length > 2 || latent != model.Latent)
            {
                throw new ArgumentException($"{codesPath}: codes of shape [{string.Join(", ", array.Shape)}]; the model's code has {model.Latent} values, so give [n, {model.Latent}].");
            }

            if (rows == 0)
            {
                throw new ArgumentException($"{codesPath}: holds no codes.");
            }

            if (parsed.GetValue(columns) < 0)
            {
                throw new ArgumentException($"--columns: {parsed.GetValue(columns)} is negative.");
            }

            OutputBudget.Check($"--codes ({codesPath})", rows, model.Inputs);
            OutputBudget.Check("--columns", parsed.GetValue(columns), model.Inputs);
            var decoded = model.Decode(Tensor.FromArray(array.Values, rows, latent));
            GeneratedOutput.Write(parsed.GetValue(output)!, decoded, model.Options.InputShape, parsed.GetValue(columns));
            Console.WriteLine($"wrote {rows} decoded items to {parsed.GetValue(output)}");
            return 0;
        });
        return command;
    }
}

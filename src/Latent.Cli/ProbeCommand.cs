using System.CommandLine;
using System.Globalization;
using Latent.Evaluation;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// <c>latent probe [RUN] --data DATA</c>: the error of a linear classifier (logistic regression) on a run's codes,
/// or on the raw inputs without a run, fitted on the training split and measured on the held-out one.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var run = new Argument<string?>("run") { Description = "Run folder (or model .safetensors file) whose encoding codes are the features; leave out for the raw inputs.", Arity = ArgumentArity.ZeroOrOne };
        var data = new Option<string>("--data") { Description = "Labelled data set name or path (e.g. mnist-10k).", Required = true };
        var validation = new Option<double>("--validation") { Description = "Fraction held out to measure the error on; with the same --seed it is the split latent train held out.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split (use the run's --seed).", DefaultValueFactory = _ => 0UL };
        var iterations = new Option<int>("--iterations") { Description = "Gradient steps of the logistic regression's fit.", DefaultValueFactory = _ => 300 };
        var command = new Command("probe", "Error of a linear classifier on a run's codes (or the raw inputs), fitted on the training split and measured on the held-out split.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, validation, seed, iterations })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string? runPath = parsed.GetValue(run);
            var model = runPath is null ? null : GanRuns.LoadAutoencoder(runPath, "probe");
            var dataset = CliData.Load(parsed.GetValue(data)!, model?.Inputs);
            double fraction = parsed.GetValue(validation);
            if (!(fraction > 0 && fraction < 1))
            {
                throw new ArgumentException($"--validation is {fraction}; expected a fraction strictly between 0 and 1.");
            }

            int steps = parsed.GetValue(iterations);
            if (steps < 1)
            {
                throw new ArgumentException($"--iterations is {steps}; expected at least 1.");
            }

            var result = LinearProbe.Measure(dataset, fraction, parsed.GetValue(seed), model, steps);
            var c = CultureInfo.InvariantCulture;
            Console.Out.WriteLine(string.Create(c, $"{(model is null ? "raw inputs" : runPath)} on {dataset.Name}: {result.Features} features, {result.TrainItems} fitted, {result.HeldOutItems} held out"));
            Console.Out.WriteLine(string.Create(c, $"  train error     {result.TrainError * 100:F2} %"));
            Console.Out.WriteLine(string.Create(c, $"  held-out error  {result.HeldOutError * 100:F2} %"));
            return 0;
        });
        return command;
    }
}

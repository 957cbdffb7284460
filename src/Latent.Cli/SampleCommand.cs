using System.CommandLine;
using System.Globalization;
using Latent.Classical;
using Latent.Evaluation;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// <c>latent sample RUN --out samples.png</c>: decoded draws from a prior over the codes (N(0, I) for a VAE; for a
/// deterministic autoencoder a Gaussian or mixture fitted to its training codes, saved with the run), or draws
/// from a probabilistic PCA, factor analysis or Gaussian mixture model written by <c>latent fit</c>.
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder or model .safetensors file: an autoencoder or a GAN (latent train) or a ppca, fa or gmm model (latent fit)." };
        var output = new Option<string>("--out") { Description = "Output: a PNG grid, or the samples as an array if the name ends in .npy.", Required = true };
        var count = new Option<int>("--count") { Description = "Samples drawn.", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var prior = new Option<string?>("--prior")
        {
            Description = "Autoencoders: the codes' prior: standard (N(0, I), the default for a VAE), gaussian (one Gaussian fitted to the "
                + "codes of the training data, the default for a deterministic autoencoder) or gmm:K (a K-component Gaussian mixture fitted "
                + "to them). A fitted prior is saved in the run folder (prior-gaussian.safetensors, prior-gmm10.safetensors, ...) and reused.",
        };
        var data = new Option<string?>("--data") { Description = "The data to fit the prior to (default: the training data named in the model file); fits again and overwrites the saved prior." };
        var refit = new Option<bool>("--refit-prior") { Description = "Fit the prior again even when one is saved." };
        var nearest = new Option<string?>("--nearest") { Description = "Also print the mean distance of the samples to their nearest item of this data set: Euclidean, and between unit-length images (shape, not brightness)." };
        var command = new Command("sample", "Draw samples: decoded codes from a prior for an autoencoder, generated images from fresh z for a GAN, or draws from a ppca, fa or gmm model; write them as a PNG grid or NPY.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { output, count, seed, prior, data, refit, nearest })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(run)!;
            int n = parsed.GetValue(count);
            if (n < 1)
            {
                throw new ArgumentException($"--count: {n} is not a positive number of samples.");
            }

            ulong rngSeed = parsed.GetValue(seed);
            string modelPath = RunFiles.ModelFileOf(path);
            Tensor samples;
            if (File.Exists(modelPath) && IsClassical(modelPath))
            {
                if (parsed.GetValue(prior) is not null || parsed.GetValue(data) is not null || parsed.GetValue(refit))
                {
                    throw new ArgumentException($"--prior, --data and --refit-prior are for autoencoders; {modelPath} is a classical {ClassicalModelFile.Method(modelPath)} model, sampled as it is.");
                }

                samples = SampleClassical(modelPath, n, rngSeed);
                GeneratedOutput.Write(parsed.GetValue(output)!, samples, null);
            }
            else if (GanRuns.TryLoad(path) is { } network)
            {
                var given = new (string Name, bool Given)[] { ("--prior", parsed.GetValue(prior) is not null), ("--data", parsed.GetValue(data) is not null), ("--refit-prior", parsed.GetValue(refit)) }.Where(o => o.Given).Select(o => o.Name).ToList();
                if (given.Count > 0)
                {
                    throw new ArgumentException($"{string.Join(", ", given)}: the codes' prior of an autoencoder; {modelPath} is a {network.Options.Preset} GAN, which draws z from its own fixed prior (noise and codes U(−1, 1), categorical codes uniform).");
                }

                OutputBudget.Check("--count", n, network.Inputs);
                Console.WriteLine($"z: {Describe(network.Options)}, fresh draws seeded by --seed, through the generator");
                samples = network.Sample(n, rngSeed);
                GeneratedOutput.Write(parsed.GetValue(output)!, samples, network.Options.InputShape);
            }
            else
            {
                var model = GanRuns.LoadAutoencoder(path, "sample");
                OutputBudget.Check("--count", n, model.Inputs);
                var spec = parsed.GetValue(prior) is { } text
                    ? CodePriorSpec.Parse(text)
                    : model.Options.IsVariational ? CodePriorSpec.Standard : CodePriorSpec.Gaussian;
                var resolved = RunPrior.Resolve(path, model, spec, name => CliData.Load(name, model.Inputs), parsed.GetValue(data), parsed.GetValue(refit), rngSeed);
                Console.WriteLine(Describe(resolved, model));
                samples = resolved.Prior.Sample(model, n, rngSeed);
                GeneratedOutput.Write(parsed.GetValue(output)!, samples, model.Options.InputShape);
            }

            if (parsed.GetValue(nearest) is { } reference)
            {
                var referenceData = CliData.Load(reference, samples.Columns);
                double distance = NearestNeighbourDistance.Mean(samples, referenceData.Features);
                double normalized = NearestNeighbourDistance.Mean(samples, referenceData.Features, normalize: true);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean distance of the samples to their nearest item of {reference} ({referenceData.Count:N0} items): {distance:F3} Euclidean, {normalized:F3} between unit-length items"));
            }

            Console.WriteLine($"wrote {n} samples to {parsed.GetValue(output)}");
            return 0;
        });
        return command;
    }

    /// <summary>Whether the model file <paramref name="path"/> holds a classical model (written by latent fit) rather than an autoencoder.</summary>
    internal static bool IsClassical(string path) =>
        SafeTensors.ReadMetadata(path).GetValueOrDefault("format") == ClassicalModelFile.Format;

    private static Tensor SampleClassical(string path, int count, ulong seed)
    {
        object model = ClassicalModelFile.Load(path);
        int features = model switch
        {
            ProbabilisticPcaModel ppca => ppca.Features,
            FactorAnalysisModel fa => fa.Features,
            GaussianMixtureModel gmm => gmm.Features,
            _ => throw new ArgumentException($"{path} holds a {ClassicalModelFile.Method(path)} model, which is not generative: sample a ppca, fa or gmm model, or an autoencoder."),
        };
        OutputBudget.Check("--count", count, features);
        return model switch
        {
            ProbabilisticPcaModel ppca => ppca.Sample(count, seed),
            FactorAnalysisModel fa => fa.Sample(count, seed),
            _ => ((GaussianMixtureModel)model).Sample(count, seed).Samples,
        };
    }

    /// <summary>The layout of a GAN's z, for messages: "100 noise values U(−1, 1)", "5 noise values and 5 continuous codes U(−1, 1), a 10-way categorical code".</summary>
    internal static string Describe(AdversarialOptions options)
    {
        var parts = new List<string>();
        if (options.Noise > 0)
        {
            parts.Add($"{options.Noise} noise values");
        }

        if (options.ContinuousCodes > 0)
        {
            parts.Add($"{options.ContinuousCodes} continuous codes");
        }

        if (parts.Count > 0)
        {
            parts = [$"{string.Join(" and ", parts)} U(−1, 1)"];
        }

        if (options.CategoricalCodes.Count > 0)
        {
            parts.Add($"categorical codes of {string.Join(", ", options.CategoricalCodes)} categories (one-hot)");
        }

        return string.Join(", ", parts);
    }

    private static string Describe(RunPrior resolved, Autoencoder model)
    {
        var spec = resolved.Prior.Spec;
        if (!spec.IsFitted)
        {
            return model.Options.IsVariational
                ? "prior: N(0, I), the prior the VAE was trained to match"
                : "prior: N(0, I) (this autoencoder was not trained to match it: expect garbage; try --prior gmm:10)";
        }

        string what = spec.Kind == CodePriorKind.Gaussian ? "one Gaussian" : $"a {spec.Components}-component Gaussian mixture";
        return resolved.Reused
            ? $"prior: {what} fitted earlier to the training codes, read from {resolved.Path} (--refit-prior fits it again)"
            : $"prior: {what} fitted to the codes of {resolved.DataName}, saved to {resolved.Path}";
    }
}

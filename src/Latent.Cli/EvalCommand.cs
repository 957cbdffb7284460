using System.CommandLine;
using System.Text;
using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Serialization;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent eval RUN --data DATA</c>: every applicable measurement, as a table and as JSON.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "Run folder (or model .safetensors file)." };
        var data = new Option<string>("--data") { Description = "Data set name or path (e.g. mnist-10k:test).", Required = true };
        var samples = new Option<int>("--iw-samples") { Description = "Autoencoders: importance samples per item for log p(x) (0: skip).", DefaultValueFactory = _ => ImportanceSampling.DefaultSamples };
        var items = new Option<int>("--iw-items") { Description = "Items (the first ones) whose log p(x) is estimated.", DefaultValueFactory = _ => 1000 };
        var clusters = new Option<int>("--clusters") { Description = "k of k-means on the codes (0: the number of classes).", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "JSON output (default: eval.json in the run folder, or next to the model file)." };
        var metricPoints = new Option<int>("--beta-vae-points") { Description = "Data with known factors (shapes): training points of the beta-VAE metric's classifier, each the mean of --beta-vae-pairs code differences; half as many test points (0: skip the metric).", DefaultValueFactory = _ => 500 };
        var metricPairs = new Option<int>("--beta-vae-pairs") { Description = "Pairs of items (sharing the fixed factor) averaged into one point of the beta-VAE metric (the paper's L).", DefaultValueFactory = _ => 64 };
        var migItems = new Option<int>("--mig-items") { Description = "Data with known factors (shapes): items drawn for the mutual information gap (0: skip it).", DefaultValueFactory = _ => 10_000 };
        var migBins = new Option<int>("--mig-bins") { Description = "Equal-width bins each code unit is cut into for the mutual information gap.", DefaultValueFactory = _ => MutualInformationGap.DefaultBins };
        var qualitySamples = new Option<int>("--quality-samples") { Description = "VAEs and GANs on labelled data: prior (generator) samples drawn for the sample-quality measures (Fréchet distance in the features of a classifier trained on DATA and cached, classes found, k=3 NN precision/recall; 0: skip them).", DefaultValueFactory = _ => 10_000 };
        var qualityCache = new Option<string?>("--quality-cache") { Description = "Folder caching the sample-quality classifier per data set (default: $LATENT_DATA/quality-classifiers or ~/.latent/quality-classifiers)." };
        var discriminatorItems = new Option<int>("--discriminator-items") { Description = "GANs: data items (a random subset when there are more) and generated items the discriminator's mean P(real) is measured on.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var command = new Command("eval", "Measure a trained model (reconstruction, ELBO, importance-sampled log p(x), active units, linear probe, k-means NMI/ARI, MMD; on data with known generative factors, shapes, the disentanglement scores: the beta-VAE metric of Higgins et al. 2017 and the mutual information gap of Chen et al. 2018; for VAEs on labelled data, the quality and diversity of prior samples). A GAN run (dcgan, infogan) gets its samples' quality and diversity, the discriminator's mean P(real) on the data and on samples, and for an InfoGAN the probe, k-means and disentanglement scores of its recognition head's codes; --iw-samples and --iw-items do not apply to it. Print a table and write JSON.");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { data, samples, items, clusters, metricPoints, metricPairs, migItems, migBins, qualitySamples, qualityCache, discriminatorItems, json, seed, quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            string runPath = parsed.GetValue(run)!;
            int quality = parsed.GetValue(qualitySamples);
            if (quality is < 0 or (> 0 and <= ManifoldPrecisionRecall.DefaultK))
            {
                throw new ArgumentException($"--quality-samples must be 0 (skip) or more than {ManifoldPrecisionRecall.DefaultK} (got {quality}).");
            }

            string modelPath = RunFiles.ModelFileOf(runPath);
            var network = File.Exists(modelPath) && AdversarialModelFile.Holds(modelPath) ? AdversarialModelFile.Load(modelPath) : null;
            if (network is not null)
            {
                // A GAN has no likelihood to importance-sample: an explicit request is a mistake, not a silent no-op.
                foreach (var option in new Option[] { samples, items })
                {
                    if (parsed.GetResult(option) is { Implicit: false })
                    {
                        throw new ArgumentException($"{option.Name}: {modelPath} is a '{network.Options.Preset}' GAN, which has no likelihood to estimate log p(x) of; drop the option.");
                    }
                }
            }

            var model = network is null ? RunFiles.LoadModel(runPath) : null;
            int inputs = network?.Inputs ?? model!.Inputs;
            int latent = network?.LatentSize ?? model!.Latent;
            string spec = parsed.GetValue(data)!;
            var dataset = CliData.Load(spec, inputs);
            int points = parsed.GetValue(metricPoints), pairs = parsed.GetValue(metricPairs);
            if (points < 0 || points == 1 || pairs < 1 || parsed.GetValue(migItems) is < 0 or 1 || parsed.GetValue(migBins) < 2)
            {
                throw new ArgumentException($"--beta-vae-points must be 0 or at least 2 (got {points}), --beta-vae-pairs at least 1 (got {pairs}), --mig-items 0 or at least 2 (got {parsed.GetValue(migItems)}) and --mig-bins at least 2 (got {parsed.GetValue(migBins)}).");
            }

            OutputBudget.Check("--quality-samples", quality, inputs);
            OutputBudget.Check("--discriminator-items", parsed.GetValue(discriminatorItems), inputs);
            OutputBudget.Check("--mig-items", parsed.GetValue(migItems), Math.Max(inputs, latent));
            OutputBudget.Check("--beta-vae-points × --beta-vae-pairs", 2L * points * pairs, latent);
            OutputBudget.Check("--beta-vae-pairs", 2L * pairs, inputs);
            var options = new EvaluationOptions
            {
                ImportanceSamples = network is null ? parsed.GetValue(samples) : 0,
                ImportanceItems = parsed.GetValue(items),
                Clusters = parsed.GetValue(clusters),
                BetaVaeMetric = points > 0 ? new BetaVaeMetricOptions { BatchSize = pairs, TrainPoints = points, TestPoints = Math.Max(1, points / 2) } : null,
                MigItems = parsed.GetValue(migItems),
                MigBins = parsed.GetValue(migBins),
                QualitySamples = quality,
                QualityCacheFolder = parsed.GetValue(qualityCache) ?? FeatureClassifier.DefaultCacheFolder,
                DiscriminatorItems = parsed.GetValue(discriminatorItems),
                Seed = parsed.GetValue(seed),
            };
            if (options.DiscriminatorItems < 1)
            {
                throw new ArgumentException($"--discriminator-items must be at least 1 (got {options.DiscriminatorItems}).");
            }

            if (options.ImportanceSamples < 0 || options.ImportanceItems < 0 || options.Clusters < 0)
            {
                throw new ArgumentException("--iw-samples, --iw-items and --clusters must be 0 or more.");
            }

            var factors = DatasetCatalog.OpenFactors(spec);
            var result = StageProgress.Run(parsed.GetValue(quiet), "evaluating", progress => network is not null
                ? Evaluator.Evaluate(network, dataset, options, progress, factors)
                : Evaluator.Evaluate(model!, dataset, options, progress, factors));
            string path = parsed.GetValue(json) ?? (Directory.Exists(runPath)
                ? Path.Combine(runPath, "eval.json")
                : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runPath))!, "eval.json"));
            AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(result.ToJson()));
            Console.Out.Write(Table(result));
            Console.Out.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    /// <summary>The measurements as an aligned two-column text table.</summary>
    internal static string Table(ModelEvaluation result)
    {
        var rows = result.Rows();
        int width = rows.Max(r => r.Name.Length);
        var text = new StringBuilder();
        text.AppendLine($"{result.Data}");
        foreach ((string name, string value) in rows)
        {
            text.Append("  ").Append(name.PadRight(width)).Append("  ").AppendLine(value);
        }

        return text.ToString();
    }
}

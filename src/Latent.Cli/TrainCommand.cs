using System.CommandLine;
using System.Globalization;
using Latent.Models;
using Latent.Nn;
using Latent.Tensors;
using Latent.Training;

namespace Latent.Cli;

/// <summary><c>latent train PRESET --data DATA --out runs/NAME</c>: trains an autoencoder preset.</summary>
internal static class TrainCommand
{
    private const string ArchitectureHelp =
        "comma-separated layers: fc<units> (a linear layer), conv<channels>k<kernel>[s<stride>][p<padding>] (a convolution; "
        + "stride 1, padding 0 unless given), deconv<channels>k<kernel>[s<stride>][p<padding>][o<output-padding>] (a transposed "
        + "convolution), pool<kernel>[s<stride>] (max-pooling, stride = kernel unless given), up<factor> (nearest upsampling), "
        + "bn (batch norm), flatten (image to features), unflatten<c>x<h>x<w> (features to an image), drop<p> (dropout with probability p); fc, conv, deconv and bn "
        + "take :activation (relu, leaky-relu, tanh, sigmoid or none; default --activation, none for bn); shapes are checked "
        + "from the data's image shape (an fc layer flattens an image; conv, deconv, pool and up need one); 'none' for no layers";

    public static Command Create()
    {
        var preset = new Argument<string>("preset")
        {
            Description = $"The model: {string.Join(", ", Presets.Names)}, or a GAN: {string.Join(", ", AdversarialPresets.Names)} (sized from the data's image shape: 28×28 or multiples of 4, and DCGAN's 64×64 net; Adam at the preset's rates, β₁ 0.5). conv-ae, conv-vae and dcign-vae need images and pick their "
                + "layers from the image shape (28×28: conv32k4s2p1,conv64k4s2p1,fc256 and its mirror; 64×64: the beta-VAE paper's "
                + "chairs VAE, or DC-IGN's 3×3 convolutions with max-pooling); beta-vae on 64×64 images is the paper's 2-D shapes VAE "
                + "(fc1200,fc1200 / fc1200:tanh×3, 10 latents).",
        };
        var data = new Option<string>("--data") { Description = "Data set name (mnist-10k, digits-8x8, fashion-mnist, onehot8, ...) or path. A raw IDX or NPY file of more than 256 MiB (as float32) is memory-mapped and read batch by batch, never whole.", Required = true };
        var output = new Option<string>("--out") { Description = "Run folder to write (model, history, checkpoint).", Required = true };
        var latent = new Option<int?>("--latent") { Description = "Code size." };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden widths of both sides, mirrored explicitly: 512,256 sets --encoder fc512,fc256 and --decoder fc256,fc512; 'none' for a linear map. Not with --encoder, --decoder or --decoder-hidden." };
        var encoder = new Option<string?>("--encoder") { Description = $"Encoder layers, input → features: {ArchitectureHelp} (e.g. fc1200,fc1200). Sets the encoder only; the decoder stays the preset's unless --decoder or --decoder-hidden is given." };
        var decoder = new Option<string?>("--decoder")
        {
            Description = $"Decoder hidden layers, code → …, in order: {ArchitectureHelp} (e.g. fc1200:tanh,fc1200:tanh,fc1200:tanh, or fc256,fc3136,unflatten64x7x7,deconv32k4s2p1). The output layer is added: "
            + "fc<input size>:none after features; deconv<c>k4s2p1:none (doubling h and w to the input's c×h×w) after another image; "
            + "nothing when the layers end at the input's image shape (then the last layer is the output: give it :none). Never mirrors --encoder."
        };
        var decoderHidden = new Option<string?>("--decoder-hidden") { Description = "Decoder hidden widths in order (e.g. 1200,1200,1200): the same as --decoder fc1200,fc1200,fc1200; 'none' for a linear decoder. Not with --decoder." };
        var tied = new Option<bool>("--tied") { Description = "Tie the decoder to the code layer's weight transposed, x̂ = Wᵀz + b′ (models without hidden layers: ksparse-ae, linear-ae)." };
        var dropout = new Option<float?>("--dropout") { Description = "Dropout probability after each hidden fc layer of the encoder (adds drop<p> layers; the input and the code are not dropped)." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Mini-batch size.", DefaultValueFactory = _ => 128 };
        var lr = new Option<float?>("--lr") { Description = "Learning rate (default: the preset's recommended rate, see --optimizer; else the optimizer's, 0.001 for adam, adamw and sgd, 0.01 for adagrad and rmsprop)." };
        var presetOptions = new PresetOptions();
        var noise = new Option<float?>("--noise") { Description = "Autoencoders: input corruption level in training (any autoencoder preset): Gaussian σ, or masking probability with --noise-kind mask. GANs: the number of noise values in z, each U(−1, 1) (dcgan 100, infogan 5)." };
        var noiseKind = new Option<string?>("--noise-kind") { Description = "Input corruption: gaussian, mask or none; needs a level (--noise, or the preset's own: denoising-ae)." };
        var likelihood = new Option<string?>("--likelihood") { Description = "bernoulli, gaussian, gaussian-shared (learned σ) or gaussian-per-dim (learned σ per pixel)." };
        var sigma = new Option<float?>("--sigma") { Description = "σ of the fixed Gaussian likelihood (--likelihood gaussian, the default of linear-ae and ksparse-ae)." };
        var activation = new Option<string?>("--activation") { Description = "Hidden activation: relu, leaky-relu, tanh, sigmoid." };
        var optimizer = new Option<Optim.OptimizerKind>("--optimizer")
        {
            Description = $"{Optim.OptimizerRegistry.OptimizerHelp}. Default adam, except where the preset's source prescribes "
                + "one, used (and printed) when --optimizer is not given, with its rate unless --lr is: conv-vae/conv-ae on 64×64 "
                + "adam 1e-4 (chairs VAE), beta-vae on 64×64 adagrad 1e-2 (2-D shapes VAE), dcign-vae rmsprop 5e-4, linear-ae adam 1e-2 "
                + "with the cosine schedule (unless --schedule is given).",
            HelpName = string.Join('|', Optim.OptimizerRegistry.Optimizers.Select(o => o.Name)),
            DefaultValueFactory = _ => Optim.OptimizerKind.Adam,
            CustomParser = r =>
            {
                string text = r.Tokens.Count == 0 ? "adam" : r.Tokens[^1].Value;
                if (!Optim.OptimizerRegistry.TryParseOptimizer(text, out var kind))
                {
                    r.AddError($"--optimizer: '{text}' is not one of {Optim.OptimizerRegistry.OptimizerNames}.");
                }

                return kind;
            },
        };
        var schedule = new Option<Optim.ScheduleKind>("--schedule")
        {
            Description = $"Per-epoch learning rate: {Optim.OptimizerRegistry.ScheduleHelp}. Default constant, or the preset's recommended one (linear-ae: cosine) when its optimizer is used.",
            HelpName = string.Join('|', Optim.OptimizerRegistry.Schedules.Select(o => o.Name)),
            DefaultValueFactory = _ => Optim.ScheduleKind.Constant,
            CustomParser = r =>
            {
                string text = r.Tokens.Count == 0 ? "constant" : r.Tokens[^1].Value;
                if (!Optim.OptimizerRegistry.TryParseSchedule(text, out var kind))
                {
                    r.AddError($"--schedule: '{text}' is not one of {Optim.OptimizerRegistry.ScheduleNames}.");
                }

                return kind;
            },
        };
        var weightDecay = new Option<float>("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => 0f };
        var momentum = new Option<float?>("--momentum") { Description = "Momentum of sgd (default 0.9) and rmsprop (default 0)." };
        var epsilon = new Option<float?>("--eps") { Description = "Denominator term ε of adam, adamw and rmsprop (default 1e-8) and adagrad (default 1e-10)." };
        var rmsPropAlpha = new Option<float?>("--rmsprop-alpha") { Description = "rmsprop: decay α of the mean square (default 0.99)." };
        var centered = new Option<bool>("--centered") { Description = "rmsprop: divide by the centred (variance) estimate." };
        var initialAccumulator = new Option<float?>("--initial-accumulator") { Description = "adagrad: the value the accumulator starts from (default 0)." };
        var lrDecay = new Option<float?>("--lr-decay") { Description = "adagrad: learning-rate decay δ, η / (1 + (t − 1)δ) at step t (default 0)." };
        var clip = new Option<float>("--clip") { Description = "Clip the gradient's global norm (0: off).", DefaultValueFactory = _ => 0f };
        var validation = new Option<double>("--validation") { Description = "Fraction held out for validation (0: none).", DefaultValueFactory = _ => 0.1 };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a better validation loss (0: off).", DefaultValueFactory = _ => 0 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Epochs between checkpoints (0: none).", DefaultValueFactory = _ => 1 };
        var pcaAngle = new Option<bool>("--pca-angle") { Description = "Record after every epoch the largest principal angle (degrees) between the decoder's subspace and the training data's top-k PCA subspace, k the code size: column pca_angle of history.csv (models with a linear decoder: linear-ae)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0UL };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's checkpoint, bitwise as if never interrupted. Give the run's own options again: only --epochs, --patience, --checkpoint-every, --schedule, --pca-angle and --quiet may change; any other difference from the checkpoint (preset, model options, optimizer, batch size, seed, clipping) or from the run's data (data set, --limit, --validation) is an error naming it." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress output." };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N samples (after scaling; see also the data set option n= for a stratified subset)." };

        var adversarial = new AdversarialTrainOptions();
        var command = new Command("train", "Train an autoencoder preset, or a GAN (dcgan, infogan), and write model.safetensors, history.csv/json and checkpoint.safetensors to the run folder.");
        command.Arguments.Add(preset);
        var all = new Option[] { data, output, limit, latent, hidden, encoder, decoder, decoderHidden, tied, dropout, epochs, batch, lr }.Concat(presetOptions.All).Concat(new Option[] { noise, noiseKind, likelihood, sigma, activation, optimizer, schedule, weightDecay, momentum, epsilon, rmsPropAlpha, centered, initialAccumulator, lrDecay, clip, validation, patience, checkpointEvery, pcaAngle, seed, resume, quiet }).ToArray();
        foreach (var option in all.Concat(adversarial.All))
        {
            command.Options.Add(option);
        }

        // The options a GAN preset shares with the autoencoders; every other autoencoder option is refused for a GAN.
        Option[] shared = [data, output, limit, epochs, batch, lr, noise, checkpointEvery, seed, resume, quiet];
        command.SetAction(parsed =>
        {
            string name = parsed.GetValue(preset)!;
            string folder = parsed.GetValue(output)!;
            if (AdversarialPresets.Contains(name))
            {
                AdversarialTrainOptions.CheckAdversarial(parsed, name, all.Except(shared));
                var common = new TrainerOptions
                {
                    Epochs = parsed.GetValue(epochs),
                    BatchSize = parsed.GetValue(batch),
                    CheckpointEvery = parsed.GetValue(checkpointEvery),
                    Seed = parsed.GetValue(seed),
                };
                return AdversarialTrainCommand.Run(parsed, adversarial, name, parsed.GetValue(data)!, parsed.GetValue(limit), folder, common, parsed.GetValue(lr), parsed.GetValue(noise), parsed.GetValue(resume), parsed.GetValue(quiet));
            }

            adversarial.CheckAutoencoder(parsed, name);
            presetOptions.CheckUsedBy(parsed, name);
            var dataset = CliData.Open(parsed.GetValue(data)!, limit: parsed.GetValue(limit));
            if (parsed.GetValue(limit) is { } first && !parsed.GetValue(quiet))
            {
                Console.WriteLine($"data {CliData.Describe(dataset)} (at most the first {first} items: --limit)");
            }

            var defaults = dataset.ImageShape is { } imageShape ? Presets.Defaults(name, imageShape) : Presets.Defaults(name, dataset.Dimension);
            var options = defaults with { Seed = parsed.GetValue(seed) };
            options = Apply(options, parsed.GetValue(latent), v => options with { Latent = v });
            options = ApplyArchitecture(options, parsed.GetValue(hidden), parsed.GetValue(encoder), parsed.GetValue(decoder), parsed.GetValue(decoderHidden));
            options = parsed.GetValue(tied) ? options with { TiedWeights = true } : options;
            options = parsed.GetValue(dropout) is { } p ? options.WithDropout(p) : options;

            options = presetOptions.Apply(parsed, options);
            options = ApplyNoise(options, parsed.GetValue(noise), parsed.GetValue(noiseKind));
            options = Apply(options, parsed.GetValue(likelihood), v => options with
            {
                Likelihood = Choices.Parse(v, "--likelihood", s_likelihoodChoices),
            });
            if (parsed.GetValue(sigma) is { } sigmaValue)
            {
                options = options.Likelihood == LikelihoodKind.Gaussian
                    ? options with { Sigma = sigmaValue }
                    : throw new ArgumentException($"--sigma: σ belongs to the fixed Gaussian likelihood; this run's likelihood is {Choices.Name(options.Likelihood, s_likelihoodChoices)} (give --likelihood gaussian).");
            }

            options = Apply(options, parsed.GetValue(activation), v => options with
            {
                Activation = Choices.Parse(v, "--activation", ("relu", Activation.Relu), ("leaky-relu", Activation.LeakyRelu), ("tanh", Activation.Tanh), ("sigmoid", Activation.Sigmoid)),
            });

            var recommendation = Presets.RecommendedTrainer(name, dataset.ImageShape);
            (var optimizerKind, float? learningRate, string? recommended) = ChooseOptimizer(
                recommendation,
                parsed.GetResult(optimizer) is { Implicit: false } ? parsed.GetValue(optimizer) : null,
                parsed.GetValue(lr));
            var scheduleKind = ChooseSchedule(recommended is null ? null : recommendation, parsed.GetResult(schedule) is { Implicit: false } ? parsed.GetValue(schedule) : null);
            if (recommended is not null && !parsed.GetValue(quiet))
            {
                Console.WriteLine(scheduleKind == recommendation!.Schedule && scheduleKind != Optim.ScheduleKind.Constant
                    ? $"{recommended}; schedule {Optim.OptimizerRegistry.Get(scheduleKind).Name} (--schedule overrides it)"
                    : recommended);
            }

            var trainerOptions = new TrainerOptions
            {
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batch),
                LearningRate = learningRate,
                Optimizer = optimizerKind,
                Schedule = scheduleKind,
                WeightDecay = parsed.GetValue(weightDecay),
                ClipNorm = parsed.GetValue(clip),
                Patience = parsed.GetValue(patience),
                CheckpointEvery = parsed.GetValue(checkpointEvery),
                PcaAngle = parsed.GetValue(pcaAngle),
                Seed = parsed.GetValue(seed),
            };
            trainerOptions = ApplyOptimizer(trainerOptions, new OptimizerArguments(
                parsed.GetValue(lr), parsed.GetValue(momentum), parsed.GetValue(epsilon), parsed.GetValue(rmsPropAlpha),
                parsed.GetResult(centered) is { Implicit: false } ? parsed.GetValue(centered) : null, parsed.GetValue(initialAccumulator), parsed.GetValue(lrDecay)));
            var result = Train(options, trainerOptions, dataset, parsed.GetValue(validation), folder, parsed.GetValue(resume), parsed.GetValue(quiet));
            if (!parsed.GetValue(quiet))
            {
                var last = result.History.Epochs[^1];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {RunFiles.ModelPath(folder)} ({options.Preset}, final loss {last.Train.Total:F4}{(last.Validation is { } v ? $", validation {v.Total:F4}" : string.Empty)}{(last.Metric(EpochRecord.PcaAngleMetric) is { } angle ? $", largest principal angle to PCA-{options.Latent} {angle:F3}°" : string.Empty)})"));
            }

            return 0;
        });
        return command;
    }

    /// <summary>Runs <see cref="TrainingRun.Train(TrainingRunOptions, IFeatureSource, string, ITrainingObserver?)"/> into <paramref name="folder"/>, showing progress unless <paramref name="quiet"/>.</summary>
    internal static TrainingResult Train(AutoencoderOptions options, TrainerOptions trainerOptions, Data.IFeatureSource dataset, double validationFraction, string folder, bool resume, bool quiet)
    {
        var run = new TrainingRunOptions { Model = options, Trainer = trainerOptions, ValidationFraction = validationFraction, Resume = resume };
        return TrainingProgress.Run(quiet, Console.Out, observer => TrainingRun.Train(run, dataset, folder, observer));
    }

    /// <summary>
    /// The optimizer and learning rate of a run: <paramref name="optimizer"/> if given, else the preset's
    /// <paramref name="recommendation"/>, else adam; <paramref name="learningRate"/> if given, else the
    /// recommendation's when its optimizer is the one chosen, else null (the optimizer's default). The message says
    /// what was taken from the recommendation (null when nothing was).
    /// </summary>
    internal static (Optim.OptimizerKind Optimizer, float? LearningRate, string? Message) ChooseOptimizer(
        TrainingRecommendation? recommendation, Optim.OptimizerKind? optimizer, float? learningRate)
    {
        if (recommendation is null || (optimizer is not null && (optimizer != recommendation.Optimizer || learningRate is not null)))
        {
            return (optimizer ?? Optim.OptimizerKind.Adam, learningRate, null);
        }

        var kind = optimizer ?? recommendation.Optimizer;
        float rate = learningRate ?? recommendation.LearningRate;
        string name = Optim.OptimizerRegistry.Get(kind).Name;
        string message = string.Create(CultureInfo.InvariantCulture,
            $"optimizer {name}, learning rate {rate:G3}: the preset's recommendation ({recommendation.Source}); --optimizer and --lr override it");
        return (kind, rate, message);
    }

    /// <summary>
    /// The schedule of a run: <paramref name="schedule"/> if given, else that of the <paramref name="recommendation"/>
    /// taken for the optimizer (null when it was not taken), else constant.
    /// </summary>
    internal static Optim.ScheduleKind ChooseSchedule(TrainingRecommendation? recommendation, Optim.ScheduleKind? schedule) =>
        schedule ?? recommendation?.Schedule ?? Optim.ScheduleKind.Constant;

    /// <summary>
    /// The architecture options applied to <paramref name="options"/>: --hidden (both sides, mirrored), or
    /// --encoder and one of --decoder and --decoder-hidden, each replacing only its own side.
    /// </summary>
    internal static AutoencoderOptions ApplyArchitecture(AutoencoderOptions options, string? hidden, string? encoder, string? decoder, string? decoderHidden)
    {
        if (hidden is not null && (encoder ?? decoder ?? decoderHidden) is not null)
        {
            string other = encoder is not null ? "--encoder" : decoder is not null ? "--decoder" : "--decoder-hidden";
            throw new ArgumentException($"--hidden sets both the encoder and the decoder; give either --hidden or {other}, not both.");
        }

        if (decoder is not null && decoderHidden is not null)
        {
            throw new ArgumentException("--decoder and --decoder-hidden both set the decoder; give one.");
        }

        if (hidden is not null)
        {
            options = options with { Hidden = ParseSizes(hidden, "--hidden") };
        }

        if (encoder is not null)
        {
            options = options with { Encoder = encoder };
        }

        if (decoder is not null)
        {
            options = options with { Decoder = decoder };
        }

        if (decoderHidden is not null)
        {
            options = options with { Decoder = Architecture.FullyConnected(ParseSizes(decoderHidden, "--decoder-hidden")) };
        }

        return options;
    }

    /// <summary>
    /// The optimizer's options applied to <paramref name="options"/> (whose <see cref="TrainerOptions.Optimizer"/>
    /// is set): each given one must be a hyperparameter the optimizer reads (<see cref="Optim.OptimizerRegistry"/>),
    /// else a one-line error naming the optimizer and what it does read.
    /// </summary>
    internal static TrainerOptions ApplyOptimizer(TrainerOptions options, OptimizerArguments given)
    {
        var entry = Optim.OptimizerRegistry.Get(options.Optimizer);
        Check(given.Momentum, "--momentum", Optim.OptimizerHyperparameter.Momentum);
        Check(given.Epsilon, "--eps", Optim.OptimizerHyperparameter.Epsilon);
        Check(given.RmsPropAlpha, "--rmsprop-alpha", Optim.OptimizerHyperparameter.RmsPropAlpha);
        Check(given.Centered, "--centered", Optim.OptimizerHyperparameter.Centered);
        Check(given.InitialAccumulator, "--initial-accumulator", Optim.OptimizerHyperparameter.InitialAccumulator);
        Check(given.LearningRateDecay, "--lr-decay", Optim.OptimizerHyperparameter.LearningRateDecay);
        return options with
        {
            LearningRate = given.LearningRate ?? options.LearningRate,
            Momentum = given.Momentum ?? options.Momentum,
            Epsilon = given.Epsilon ?? options.Epsilon,
            RmsPropAlpha = given.RmsPropAlpha ?? options.RmsPropAlpha,
            Centered = given.Centered ?? options.Centered,
            InitialAccumulator = given.InitialAccumulator ?? options.InitialAccumulator,
            LearningRateDecay = given.LearningRateDecay ?? options.LearningRateDecay,
        };

        void Check<T>(T? value, string option, Optim.OptimizerHyperparameter hyperparameter)
            where T : struct
        {
            if (value is not null && !entry.Reads(hyperparameter.Key))
            {
                throw new ArgumentException(
                    $"{option}: the {entry.Name} optimizer has no {hyperparameter.Label}; it reads {string.Join(", ", entry.Hyperparameters.Select(h => h.Label))}.");
            }
        }
    }

    internal static int[] ParseSizes(string text, string option = "--hidden")
    {
        if (text.Trim() is "none" or "")
        {
            return [];
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw new ArgumentException($"{option}: '{parts[i]}' is not a positive layer size (expected e.g. 400 or 512,256).");
            }
        }

        return sizes;
    }

    private static AutoencoderOptions Apply<T>(AutoencoderOptions options, T? value, Func<T, AutoencoderOptions> change)
        where T : struct => value is { } v ? change(v) : options;

    private static AutoencoderOptions Apply(AutoencoderOptions options, string? value, Func<string, AutoencoderOptions> change) =>
        value is null ? options : change(value);

    private static readonly (string Name, LikelihoodKind Value)[] s_likelihoodChoices =
    [
        ("bernoulli", LikelihoodKind.Bernoulli), ("gaussian", LikelihoodKind.Gaussian),
        ("gaussian-shared", LikelihoodKind.GaussianLearnedShared), ("gaussian-per-dim", LikelihoodKind.GaussianLearnedPerDimension),
    ];

    /// <summary>
    /// The input corruption of <paramref name="options"/> changed by --noise (a level; Gaussian unless a kind is
    /// given or the preset has one) and --noise-kind (which needs a level: the one given or the preset's own).
    /// </summary>
    internal static AutoencoderOptions ApplyNoise(AutoencoderOptions options, float? level, string? kindText)
    {
        var kind = kindText is null
            ? (NoiseKind?)null
            : Choices.Parse(kindText, "--noise-kind", ("gaussian", NoiseKind.Gaussian), ("mask", NoiseKind.Mask), ("none", NoiseKind.None));
        if (kind == NoiseKind.None)
        {
            return level is > 0
                ? throw new ArgumentException($"--noise-kind none turns the corruption off; --noise {level} asks for some. Give one of them.")
                : options with { Noise = NoiseKind.None, NoiseLevel = 0 };
        }

        float newLevel = level ?? options.NoiseLevel;
        if (kind is not null && newLevel <= 0)
        {
            throw new ArgumentException($"--noise-kind {kindText}: preset {options.Preset} has no input corruption; give its level with --noise (e.g. --noise 0.3).");
        }

        return level is null && kind is null
            ? options
            : options with { NoiseLevel = newLevel, Noise = newLevel == 0 ? NoiseKind.None : kind ?? (options.Noise == NoiseKind.None ? NoiseKind.Gaussian : options.Noise) };
    }

    /// <summary>The optimizer options given on the command line (null: not given).</summary>
    internal sealed record OptimizerArguments(
        float? LearningRate = null, float? Momentum = null, float? Epsilon = null, float? RmsPropAlpha = null,
        bool? Centered = null, float? InitialAccumulator = null, float? LearningRateDecay = null);
}

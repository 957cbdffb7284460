using System.CommandLine;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Cli;

/// <summary>
/// The options of <c>latent train</c> that only some presets use, each with one meaning and its own name
/// (--top-k, --iw-samples, --mmd-weight, ...). An option given to a preset that does not use it is an error naming
/// the preset and those that use it, so nothing is silently ignored or reinterpreted.
/// </summary>
/// <remarks>
/// Which presets use an option is decided from each preset's default options (a top-k bottleneck uses --top-k, a
/// model with an MMD term --mmd-weight, ...), so the help text and the check cannot disagree with the presets.
/// </remarks>
internal sealed class PresetOptions
{
    private readonly List<(Option Option, Func<AutoencoderOptions, bool> Uses)> _rules = [];

    public PresetOptions()
    {
        Beta = Add(new Option<float?>("--beta") { Description = "KL weight β" }, IsElbo);
        TopK = Add(new Option<int?>("--top-k") { Description = "Units kept in the code in training" }, o => o.Bottleneck == BottleneckKind.TopK);
        TopKAlpha = Add(new Option<float?>("--top-k-alpha") { Description = "Encoding (after training) keeps α·k units" }, o => o.Bottleneck == BottleneckKind.TopK);
        ImportanceSamples = Add(new Option<int?>("--iw-samples") { Description = "Importance samples k of the IWAE bound" }, o => o.ImportanceSamples > 0);
        InfoAlpha = Add(new Option<float?>("--info-alpha") { Description = "InfoVAE's α: the KL weight is β·(1 − α)" }, HasMmd);
        MmdWeight = Add(new Option<float?>("--mmd-weight") { Description = "Weight λ of the MMD term" }, HasMmd);
        MmdKernel = Add(new Option<string?>("--mmd-kernel", "--kernel") { Description = "Kernel of the MMD term: rbf or imq (short form --kernel)" }, HasMmd);
        Sparsity = Add(new Option<string?>("--sparsity") { Description = "Sparsity penalty on the code: l1, kl or none" }, HasSparsity);
        SparsityWeight = Add(new Option<float?>("--sparsity-weight") { Description = "Weight of the sparsity penalty" }, HasSparsity);
        SparsityTarget = Add(new Option<float?>("--sparsity-target", "--rho") { Description = "Target mean activation ρ of KL sparsity (short form --rho)" }, HasSparsity);
        CodeNoise = Add(new Option<float?>("--code-noise") { Description = "σ of the noise on the code's pre-activations in training (default 1)" }, o => o.Bottleneck == BottleneckKind.Binary);
    }

    public Option<float?> Beta { get; }

    public Option<int?> TopK { get; }

    public Option<float?> TopKAlpha { get; }

    public Option<int?> ImportanceSamples { get; }

    public Option<float?> InfoAlpha { get; }

    public Option<float?> MmdWeight { get; }

    public Option<string?> MmdKernel { get; }

    public Option<string?> Sparsity { get; }

    public Option<float?> SparsityWeight { get; }

    public Option<float?> SparsityTarget { get; }

    public Option<float?> CodeNoise { get; }

    /// <summary>The options, in the order of the help.</summary>
    public IEnumerable<Option> All => _rules.Select(r => r.Option);

    /// <summary>Checks, before any data are read, that preset <paramref name="preset"/> uses every option given.</summary>
    /// <exception cref="ArgumentException">The preset is unknown, or an option given is not used by it (the message names those that use it).</exception>
    public void CheckUsedBy(ParseResult parsed, string preset)
    {
        var defaults = DefaultsOf(preset);
        foreach ((var option, var uses) in _rules)
        {
            if (parsed.GetResult(option) is { Implicit: false } && !uses(defaults))
            {
                throw new ArgumentException($"{option.Name}: preset {preset} does not use it (it applies to {string.Join(", ", UsersOf(uses))}).");
            }
        }
    }

    /// <summary><paramref name="options"/> (a preset's defaults) changed by the options given (see <see cref="CheckUsedBy"/>).</summary>
    /// <exception cref="ArgumentException">A value is not one of its option's choices, or does not fit the others.</exception>
    public AutoencoderOptions Apply(ParseResult parsed, AutoencoderOptions options)
    {
        options = Set(options, parsed.GetValue(Beta), (o, v) => o with { Beta = v });
        options = Set(options, parsed.GetValue(TopK), (o, v) => o with { TopK = v });
        options = Set(options, parsed.GetValue(TopKAlpha), (o, v) => o with { TopKAlpha = v });
        options = Set(options, parsed.GetValue(ImportanceSamples), (o, v) => o with { ImportanceSamples = v });
        options = Set(options, parsed.GetValue(InfoAlpha), (o, v) => o with { InfoAlpha = v });
        options = Set(options, parsed.GetValue(MmdWeight), (o, v) => o with { MmdWeight = v });
        if (parsed.GetValue(MmdKernel) is { } kernel)
        {
            options = options with { MmdKernel = Choices.Parse(kernel, MmdKernel.Name, ("rbf", Models.MmdKernel.Rbf), ("imq", Models.MmdKernel.InverseMultiquadratic)) };
        }

        if (parsed.GetValue(Sparsity) is { } sparsityText)
        {
            var kind = Choices.Parse(sparsityText, Sparsity.Name, ("l1", SparsityKind.L1), ("kl", SparsityKind.Kl), ("none", SparsityKind.None));
            options = options with
            {
                Sparsity = kind,
                CodeActivation = kind == SparsityKind.Kl ? Activation.Sigmoid : Activation.Relu,
                SparsityWeight = kind == options.Sparsity ? options.SparsityWeight : kind == SparsityKind.L1 ? 1e-3f : 1f,
            };
        }

        options = Set(options, parsed.GetValue(SparsityWeight), (o, v) => o with { SparsityWeight = v });
        if (parsed.GetValue(SparsityTarget) is { } target)
        {
            if (options.Sparsity != SparsityKind.Kl)
            {
                throw new ArgumentException($"{SparsityTarget.Name}: the target activation belongs to KL sparsity; this run's sparsity is {options.Sparsity.ToString().ToLowerInvariant()} (give --sparsity kl).");
            }

            options = options with { SparsityTarget = target };
        }

        return Set(options, parsed.GetValue(CodeNoise), (o, v) => o with { CodeNoise = v });
    }

    private static bool IsElbo(AutoencoderOptions o) => o.IsVariational && o.ImportanceSamples == 0;

    private static bool HasMmd(AutoencoderOptions o) => o.MmdWeight > 0;

    private static bool HasSparsity(AutoencoderOptions o) => o.Sparsity != SparsityKind.None;

    // The help names the presets that use each option, from the same rule the check applies.
    private T Add<T>(T option, Func<AutoencoderOptions, bool> uses)
        where T : Option
    {
        option.Description = $"{option.Description} ({string.Join(", ", UsersOf(uses))} only).";
        _rules.Add((option, uses));
        return option;
    }

    private static IEnumerable<string> UsersOf(Func<AutoencoderOptions, bool> uses) => Presets.Names.Where(name => uses(DefaultsOf(name)));

    // Which parts a preset has does not depend on the data's shape, so any image shape serves.
    private static AutoencoderOptions DefaultsOf(string preset) => Presets.Defaults(preset, new ImageShape(1, 28, 28));

    private static AutoencoderOptions Set<T>(AutoencoderOptions options, T? value, Func<AutoencoderOptions, T, AutoencoderOptions> change)
        where T : struct => value is { } v ? change(options, v) : options;
}

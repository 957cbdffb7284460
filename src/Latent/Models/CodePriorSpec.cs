using System.Globalization;

namespace Latent.Models;

/// <summary>Which prior over codes to sample: the standard normal, one fitted Gaussian, or a fitted K-component mixture.</summary>
/// <param name="Kind">The kind of prior.</param>
/// <param name="Components">The mixture's components (1 for the other kinds).</param>
public readonly record struct CodePriorSpec(CodePriorKind Kind, int Components)
{
    /// <summary>The standard normal N(0, I).</summary>
    public static CodePriorSpec Standard { get; } = new(CodePriorKind.Standard, 1);

    /// <summary>One Gaussian fitted to the codes.</summary>
    public static CodePriorSpec Gaussian { get; } = new(CodePriorKind.Gaussian, 1);

    /// <summary>The spec's name as <see cref="Parse"/> reads it and file names use it: "standard", "gaussian" or "gmm10".</summary>
    public string Name => Kind switch
    {
        CodePriorKind.Standard => "standard",
        CodePriorKind.Gaussian => "gaussian",
        _ => string.Create(CultureInfo.InvariantCulture, $"gmm{Components}"),
    };

    /// <summary>Whether the prior is fitted to data (every kind but <see cref="CodePriorKind.Standard"/>).</summary>
    public bool IsFitted => Kind != CodePriorKind.Standard;

    /// <summary>A mixture of <paramref name="components"/> Gaussians fitted to the codes.</summary>
    public static CodePriorSpec Mixture(int components)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        return new CodePriorSpec(CodePriorKind.Mixture, components);
    }

    /// <summary>Reads "standard" (or "normal"), "gaussian" or "gmm:K" (K ≥ 1).</summary>
    /// <exception cref="FormatException">The text is none of these; the message names it and the accepted forms.</exception>
    public static CodePriorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim().ToLowerInvariant();
        if (value is "standard" or "normal")
        {
            return Standard;
        }

        if (value == "gaussian")
        {
            return Gaussian;
        }

        if (value.StartsWith("gmm:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1)
        {
            return Mixture(k);
        }

        throw new FormatException($"Prior '{text}' is not one of standard (N(0, I)), gaussian (one Gaussian fitted to the codes) or gmm:K (a K-component mixture fitted to the codes, K ≥ 1).");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

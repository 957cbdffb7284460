namespace Latent.Cli;

/// <summary>Options whose value is one of a few names.</summary>
internal static class Choices
{
    /// <summary>The value named <paramref name="text"/> (case-insensitive), or an error naming the option and every choice.</summary>
    public static T Parse<T>(string text, string option, params (string Name, T Value)[] choices)
    {
        foreach ((string name, T value) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new ArgumentException($"{option}: '{text}' is not one of {string.Join(", ", choices.Select(c => c.Name))}.");
    }

    /// <summary>The name of <paramref name="value"/> among <paramref name="choices"/> (its enum name when it has none).</summary>
    public static string Name<T>(T value, params (string Name, T Value)[] choices) =>
        choices.FirstOrDefault(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name ?? value?.ToString() ?? string.Empty;
}

namespace Latent.Data;

/// <summary>
/// The options of a data set specification (<c>name:key=value,flag,...</c>), parsed strictly and checked
/// against what the data set takes: every key a loader asks for (or declares) is known, and
/// <see cref="ThrowIfUnknown"/> rejects the rest, naming the keys the data set takes.
/// </summary>
/// <remarks>
/// A key given twice, an empty key, or a bare word other than <c>train</c> and <c>test</c> is an error when
/// parsing. Keys are case-sensitive.
/// </remarks>
public sealed class DatasetOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _known = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private DatasetOptions(string specification)
    {
        Specification = specification;
    }

    /// <summary>The whole specification, for error messages.</summary>
    public string Specification { get; }

    /// <summary>The keys given, in order.</summary>
    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>The keys the data set took (asked for or declared so far), in the order first asked.</summary>
    public IReadOnlyList<string> Known => _known;

    /// <summary>Parses <paramref name="options"/>, the part of <paramref name="specification"/> after the name's colon.</summary>
    public static DatasetOptions Parse(string specification, string options)
    {
        ArgumentNullException.ThrowIfNull(specification);
        ArgumentNullException.ThrowIfNull(options);
        var parsed = new DatasetOptions(specification);
        foreach (string part in options.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=');
            string key, value;
            if (equals < 0)
            {
                if (part is not ("train" or "test"))
                {
                    throw new ArgumentException($"'{part}' in '{specification}' is not an option: use train, test or key=value.", nameof(options));
                }

                (key, value) = (part, string.Empty);
            }
            else
            {
                (key, value) = (part[..equals].Trim(), part[(equals + 1)..].Trim());
                if (key.Length == 0)
                {
                    throw new ArgumentException($"'{part}' in '{specification}' has no key before '='.", nameof(options));
                }
            }

            if (!parsed._values.TryAdd(key, value))
            {
                throw new ArgumentException($"Option '{key}' is given twice in '{specification}'.", nameof(options));
            }
        }

        return parsed;
    }

    /// <summary>No options (a bare name or path).</summary>
    public static DatasetOptions None(string specification) => new(specification ?? throw new ArgumentNullException(nameof(specification)));

    /// <summary>The value of <paramref name="key"/> if given; marks the key as one the data set takes.</summary>
    public bool TryGetValue(string key, out string? value)
    {
        Know(key);
        _read.Add(key);
        return _values.TryGetValue(key, out value);
    }

    /// <summary>Whether <paramref name="key"/> (or flag) is given; marks it as one the data set takes.</summary>
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>Marks <paramref name="keys"/> as taken by the data set without reading them.</summary>
    public void Declare(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (string key in keys)
        {
            Know(key);
        }
    }

    /// <summary>Whether a loader asked for <paramref name="key"/>'s value (declaring it does not count).</summary>
    public bool WasRead(string key) => _read.Contains(key);

    /// <summary>Throws if an option was given that the data set <paramref name="name"/> does not take, naming the ones it takes.</summary>
    public void ThrowIfUnknown(string name)
    {
        var unknown = _values.Keys.Where(k => !_known.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            string takes = _known.Count == 0 ? "no options" : string.Join(", ", _known);
            throw new ArgumentException(
                $"{(unknown.Length == 1 ? "Option" : "Options")} {string.Join(", ", unknown.Select(k => $"'{k}'"))} in '{Specification}' {(unknown.Length == 1 ? "is" : "are")} not taken by {name}; it takes {takes}.",
                nameof(name));
        }
    }

    private void Know(string key)
    {
        if (!_known.Contains(key))
        {
            _known.Add(key);
        }
    }
}

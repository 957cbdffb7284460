using System.Text;
using System.Text.RegularExpressions;

namespace Latent.Tests.Docs;

/// <summary>
/// The regions of a C# file marked <c>// &lt;snippet name&gt;</c> … <c>// &lt;/snippet&gt;</c>, and the markdown
/// code blocks that follow <c>&lt;!-- snippet: name --&gt;</c>: reading both, and copying the first into the second.
/// </summary>
internal static partial class SnippetText
{
    /// <summary>Each region's lines, less their common indentation, by name, in the file's order.</summary>
    public static IReadOnlyList<(string Name, string Text)> Regions(string code)
    {
        var regions = new List<(string, string)>();
        foreach (Match match in RegionPattern().Matches(Lf(code)))
        {
            regions.Add((match.Groups["name"].Value, Dedent(match.Groups["body"].Value)));
        }

        return regions;
    }

    /// <summary>Each marked code block's text (without the fences), by name, in the README's order.</summary>
    public static IReadOnlyList<(string Name, string Text)> Blocks(string markdown) =>
        [.. BlockPattern().Matches(Lf(markdown)).Select(match => (match.Groups["name"].Value, match.Groups["body"].Value))];

    /// <summary>
    /// The differences between the regions and the blocks, one line each: a block that is not its region's text,
    /// a region without a block, a block without a region, a name used twice. Empty when they agree.
    /// </summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<(string Name, string Text)> regions, IReadOnlyList<(string Name, string Text)> blocks)
    {
        var problems = new List<string>();
        problems.AddRange(Repeated(regions, "region"));
        problems.AddRange(Repeated(blocks, "README block"));
        var blockText = blocks.DistinctBy(b => b.Name).ToDictionary(b => b.Name, b => b.Text);
        foreach (var (name, text) in regions.DistinctBy(r => r.Name))
        {
            if (!blockText.TryGetValue(name, out string? block))
            {
                problems.Add($"region '{name}' has no README block (add '<!-- snippet: {name} -->' and an empty ```csharp block where it belongs)");
            }
            else if (block != text)
            {
                problems.Add($"README block '{name}' differs from its region {FirstDifference(text, block)}");
            }
        }

        var regionNames = regions.Select(r => r.Name).ToHashSet();
        problems.AddRange(blocks.Where(b => !regionNames.Contains(b.Name)).Select(b => $"README block '{b.Name}' has no region"));
        return problems;
    }

    /// <summary>The markdown with every marked block's text replaced by its region's (blocks without a region stay).</summary>
    public static string Update(string markdown, IReadOnlyList<(string Name, string Text)> regions)
    {
        var text = regions.DistinctBy(r => r.Name).ToDictionary(r => r.Name, r => r.Text);
        return BlockPattern().Replace(Lf(markdown), match =>
        {
            var body = match.Groups["body"];
            return text.TryGetValue(match.Groups["name"].Value, out string? region)
                ? match.Value[..(body.Index - match.Index)] + region + match.Value[(body.Index + body.Length - match.Index)..]
                : match.Value;
        });
    }

    private static IEnumerable<string> Repeated(IReadOnlyList<(string Name, string Text)> items, string what) =>
        items.GroupBy(i => i.Name).Where(g => g.Count() > 1).Select(g => $"{what} '{g.Key}' appears {g.Count()} times");

    private static string FirstDifference(string expected, string actual)
    {
        string[] want = expected.Split('\n'), have = actual.Split('\n');
        for (int i = 0; i < Math.Max(want.Length, have.Length); i++)
        {
            string? a = i < want.Length ? want[i] : null, b = i < have.Length ? have[i] : null;
            if (a != b)
            {
                return $"at its line {i + 1}: the file has \"{a ?? "(end)"}\", the README \"{b ?? "(end)"}\"";
            }
        }

        return "";
    }

    private static string Dedent(string text)
    {
        string[] lines = text.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        var result = new StringBuilder();
        foreach (string line in lines)
        {
            result.Append(line.Length >= indent ? line[indent..] : line.TrimStart(' ')).Append('\n');
        }

        // The body ends with the newline before the closing marker's line: one '\n' too many after the split.
        return result.ToString()[..^1];
    }

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    // A region: the marker line, the body (whole lines), the closing marker line.
    [GeneratedRegex(@"^[ \t]*// <snippet (?<name>[\w-]+)>\n(?<body>(?:.*\n)*?)[ \t]*// </snippet>[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex RegionPattern();

    // A block: the marker, blank lines at most, the ```csharp fence, the body (whole lines, perhaps none), the closing fence.
    [GeneratedRegex(@"^<!-- snippet: (?<name>[\w-]+) -->\n(?:[ \t]*\n)*```csharp\n(?<body>(?:.*\n)*?)```[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex BlockPattern();
}

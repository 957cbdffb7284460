using System.Diagnostics.CodeAnalysis;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// The <c>descr</c> of an NPY header: a type string such as <c>'&lt;f4'</c>, or the list of fields of a
/// structured array, <c>[('name', '&lt;f8'), ('pos', '&lt;i4', (3,)), ('', '|V4')]</c>, read as numpy lays the
/// fields out: packed in order, a nameless <c>|Vn</c> entry being n bytes of padding.
/// </summary>
internal static class NpyDescr
{
    private const string Supported = "float32, float64, uint8, int8, int16, int32 and int64";

    /// <summary>The element type and byte order of a type string, or an error naming it.</summary>
    public static (ElementType Type, bool BigEndian) Parse(string descr, string path) =>
        TryParse(descr, out var type, out bool bigEndian, out string? problem)
            ? (type, bigEndian)
            : throw new DataFormatException(path, $"the NPY dtype '{descr}' {problem}");

    /// <summary>The fields of a structured array's <c>descr</c> list, and the bytes of a record.</summary>
    public static (NpyField[] Fields, int RecordBytes) ParseFields(List<object?> descr, string path)
    {
        var fields = new List<NpyField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        foreach (object? entry in descr)
        {
            if (entry is not List<object?> { Count: 2 or 3 } tuple)
            {
                throw new DataFormatException(path, $"the structured NPY dtype has an entry that is not (name, type[, shape]): {Show(entry)}.");
            }

            // A titled field is ((title, name), type): the name is what numpy indexes by.
            string name = tuple[0] switch
            {
                string text => text,
                List<object?> { Count: 2 } titled when titled[1] is string text => text,
                _ => throw new DataFormatException(path, $"the structured NPY dtype has a field name that is not a string: {Show(tuple[0])}."),
            };
            if (tuple[1] is List<object?>)
            {
                throw new DataFormatException(path, $"field '{name}' is itself a structure; Latent reads structured arrays whose fields are all numeric ({Supported}), not nested ones.");
            }

            if (tuple[1] is not string code)
            {
                throw new DataFormatException(path, $"field '{name}' has no type string: {Show(tuple[1])}.");
            }

            if (name.Length == 0 && code.Length > 2 && code[1] == 'V' && int.TryParse(code.AsSpan(2), out int padding) && padding > 0 && tuple.Count == 2)
            {
                offset += padding;
                continue;
            }

            if (!TryParse(code, out var type, out bool bigEndian, out string? problem))
            {
                throw new DataFormatException(path, $"field '{name}' has dtype '{code}', which {problem.TrimEnd('.')}; Latent reads structured arrays whose fields are all numeric.");
            }

            if (!names.Add(name))
            {
                throw new DataFormatException(path, $"the structured NPY dtype names field '{name}' twice.");
            }

            long count = tuple.Count == 3 ? SubarrayCount(tuple[2], name, path) : 1;
            long bytes = count * ElementConversion.SizeOf(type);
            if (offset + bytes > int.MaxValue / 8)
            {
                throw new DataFormatException(path, $"field '{name}' ends past the largest record Latent reads ({int.MaxValue / 8:N0} bytes).");
            }

            fields.Add(new NpyField(name, type, bigEndian, (int)offset, (int)count));
            offset += bytes;
        }

        return fields.Count == 0
            ? throw new DataFormatException(path, "the structured NPY dtype has no numeric field.")
            : (fields.ToArray(), (int)offset);
    }

    private static long SubarrayCount(object? shape, string name, string path)
    {
        long[] dims = shape switch
        {
            long single => [single],
            List<object?> list when list.All(d => d is long) => list.Select(d => (long)d!).ToArray(),
            _ => throw new DataFormatException(path, $"field '{name}' has a shape that is not a tuple of sizes: {Show(shape)}."),
        };
        return FormatLimits.CheckedProduct(dims, int.MaxValue / 8, path, $"field '{name}'");
    }

    private static bool TryParse(string descr, out ElementType type, out bool bigEndian, [NotNullWhen(false)] out string? problem)
    {
        type = default;
        bigEndian = false;
        problem = null;
        if (descr.Length < 2 || descr[0] is not ('<' or '>' or '|' or '='))
        {
            problem = descr.Length < 2 ? "is not a type." : "has an unknown byte order.";
            return false;
        }

        bigEndian = descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian);
        ElementType? known = descr[1..] switch
        {
            "u1" => ElementType.UInt8,
            "i1" => ElementType.Int8,
            "i2" => ElementType.Int16,
            "i4" => ElementType.Int32,
            "i8" => ElementType.Int64,
            "f4" => ElementType.Float32,
            "f8" => ElementType.Float64,
            _ => null,
        };
        if (known is null)
        {
            string? kind = descr[1] switch
            {
                'O' => "Python objects, which only pickle can read",
                'U' or 'S' or 'a' => "text",
                'V' => "raw bytes",
                _ => null,
            };
            problem = kind is null ? $"is not supported ({Supported} are)." : $"holds {kind}, not numbers ({Supported} are read).";
            return false;
        }

        type = known.Value;
        return true;
    }

    private static string Show(object? value)
    {
        string text = value switch
        {
            null => "None",
            string s => $"'{s}'",
            List<object?> list => $"({string.Join(", ", list.Select(Show))})",
            _ => value.ToString() ?? string.Empty,
        };
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}

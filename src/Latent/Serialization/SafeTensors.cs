using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Latent.Tensors;

namespace Latent.Serialization;

/// <summary>
/// Reads and writes the safetensors format, Latent's model file: named tensors plus a string map in
/// <c>__metadata__</c>, loadable without executing any code.
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__": {..}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..}</c>
/// padded with spaces so the data starts 8-byte aligned, then the data buffer, little-endian, row-major.
/// Offsets are relative to the data buffer; the tensors must cover it exactly, without overlaps or holes.
/// Latent writes float32 (<c>F32</c>) only and reads <c>F32</c>, <c>F64</c>, <c>F16</c> and <c>BF16</c>,
/// converting to float32.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest JSON header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Serialize(tensors, metadata);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, SafeTensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Write(path, file.Tensors, file.Metadata);
    }

    /// <summary>The bytes of a safetensors file holding <paramref name="tensors"/> and <paramref name="metadata"/>.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        // The format's canonical order: by alignment (all F32 here), then by name.
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var json = new MemoryStream();
        long offset = 0;
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var pair in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    ArgumentNullException.ThrowIfNull(pair.Value, nameof(metadata));
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            foreach (string name in names)
            {
                if (name.Length == 0 || name == MetadataKey)
                {
                    throw new ArgumentException($"'{name}' cannot name a tensor.", nameof(tensors));
                }

                var tensor = tensors[name];
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                long bytes = 4L * tensor.Length;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }

            writer.WriteEndObject();
        }

        int headerLength = (int)json.Length;
        int padded = (headerLength + 7) & ~7;
        long total = 8L + padded + offset;
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"The tensors need {total:N0} bytes, more than one file buffer can hold.", nameof(tensors));
        }

        var output = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        json.GetBuffer().AsSpan(0, headerLength).CopyTo(output.AsSpan(8));
        output.AsSpan(8 + headerLength, padded - headerLength).Fill((byte)' ');
        int position = 8 + padded;
        foreach (string name in names)
        {
            var span = tensors[name].Span;
            var destination = output.AsSpan(position, span.Length * 4);
            if (BitConverter.IsLittleEndian)
            {
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(span).CopyTo(destination);
            }
            else
            {
                for (int i = 0; i < span.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], span[i]);
                }
            }

            position += span.Length * 4;
        }

        return output;
    }

    /// <summary>Reads a safetensors file, validating every size before allocating.</summary>
    public static SafeTensorsFile Read(string path) => Parse(FormatLimits.ReadFile(path), path);

    /// <summary>
    /// The metadata of the safetensors file at <paramref name="path"/>, reading its header only (the 8-byte length and
    /// the JSON, checked as <see cref="Read"/> checks them), not its tensors: for telling kinds of model file apart.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="DataFormatException">The header is malformed.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var prefix = new byte[8];
        int read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        ulong headerLength = read < 8 ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (read < 8 || headerLength > MaxHeaderBytes || headerLength > (ulong)(stream.Length - 8))
        {
            // The whole-file reader's own checks name the problem.
            ReadHeader(FormatLimits.ReadFile(path), path, out _, out _);
            throw new System.Diagnostics.UnreachableException("The header's length was refused above.");
        }

        var bytes = new byte[8 + (int)headerLength];
        prefix.CopyTo(bytes, 0);
        stream.ReadExactly(bytes, 8, (int)headerLength);
        ReadHeader(bytes, path, out var metadata, out _);
        return metadata;
    }

    /// <summary>Parses the bytes of a safetensors file; <paramref name="path"/> names it in errors.</summary>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string path)
    {
        var entries = ReadHeader(bytes, path, out var metadata, out int dataStart);
        long dataLength = bytes.Length - dataStart;
        CheckCoverage(entries, dataLength, path);
        long floats = entries.Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));
        FormatLimits.CheckMemory(4 * floats, path, $"{entries.Count:N0} tensors of {floats:N0} values");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var data = bytes.Slice(dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
            tensors.Add(entry.Name, Decode(entry, data, path));
        }

        return new SafeTensorsFile(tensors, metadata);
    }

    private static List<Entry> ReadHeader(ReadOnlySpan<byte> bytes, string path, out Dictionary<string, string> metadata, out int dataStart)
    {
        if (bytes.Length < 8)
        {
            throw new DataFormatException(path, $"a safetensors file starts with an 8-byte header length, but the file has {bytes.Length} bytes.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new DataFormatException(path, $"the safetensors header claims {headerLength:N0} bytes but the file has {bytes.Length - 8:N0} after the length (limit {MaxHeaderBytes:N0}).");
        }

        dataStart = 8 + (int)headerLength;
        var header = bytes.Slice(8, (int)headerLength);
        if (header.Length < 2 || header[0] != (byte)'{')
        {
            throw new DataFormatException(path, "the safetensors header is not a JSON object (it must start with '{').");
        }

        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new DataFormatException(path, "the safetensors header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException exception)
        {
            throw new DataFormatException(path, $"the safetensors header is not valid JSON ({exception.Message.ReplaceLineEndings(" ").TrimEnd('.')}).", exception);
        }

        using (document)
        {
            try
            {
                return ReadEntries(document, path, out metadata);
            }
            catch (InvalidOperationException exception)
            {
                // A JSON escape such as \ud800 is valid JSON but not a valid string.
                throw new DataFormatException(path, $"the safetensors header holds an invalid string ({exception.Message.TrimEnd('.')}).", exception);
            }
        }
    }

    private static List<Entry> ReadEntries(JsonDocument document, string path, out Dictionary<string, string> metadata)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(path, "the safetensors header is not a JSON object.");
        }

        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new DataFormatException(path, $"the safetensors header names '{property.Name}' twice.");
            }

            if (property.Name == MetadataKey)
            {
                ReadMetadata(property.Value, metadata, path);
            }
            else
            {
                entries.Add(ReadEntry(property.Name, property.Value, path));
            }
        }

        return entries;
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(path, "__metadata__ must be a JSON object of strings.");
        }

        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new DataFormatException(path, $"__metadata__ entry '{item.Name}' is a {item.Value.ValueKind}, not a string.");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new DataFormatException(path, $"__metadata__ names '{item.Name}' twice.");
            }
        }
    }

    private static Entry ReadEntry(string name, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(path, $"tensor '{name}' is described by a {element.ValueKind}, not an object.");
        }

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new DataFormatException(path, $"tensor '{name}' has no string 'dtype'.");
        }

        string dtype = dtypeElement.GetString()!;
        int elementSize = dtype switch
        {
            "F64" or "I64" or "U64" => 8,
            "F32" or "I32" or "U32" => 4,
            "F16" or "BF16" or "I16" or "U16" => 2,
            "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
            _ => throw new DataFormatException(path, $"tensor '{name}' has the unknown dtype '{dtype}'."),
        };

        if (!element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(path, $"tensor '{name}' has no 'shape' array.");
        }

        var shape = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long size) || size < 0)
            {
                throw new DataFormatException(path, $"tensor '{name}' has a shape entry that is not a non-negative integer.");
            }

            shape.Add(size);
        }

        if (!element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw new DataFormatException(path, $"tensor '{name}' has no 'data_offsets' pair.");
        }

        if (!offsetsElement[0].TryGetInt64(out long begin) || !offsetsElement[1].TryGetInt64(out long end) || begin < 0 || end < begin)
        {
            throw new DataFormatException(path, $"tensor '{name}' has data_offsets that are not two ascending non-negative integers.");
        }

        long count = FormatLimits.CheckedProduct(shape.ToArray(), FormatLimits.MaxElements, path, $"tensor '{name}'");
        if (count * elementSize != end - begin)
        {
            throw new DataFormatException(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtype} needs {count * elementSize:N0} bytes but its data_offsets span {end - begin:N0}.");
        }

        return new Entry(name, dtype, shape.ToArray(), begin, end);
    }

    private static void CheckCoverage(List<Entry> entries, long dataLength, string path)
    {
        // The data buffer must be covered exactly: no overlaps (aliasing) and no holes (polyglot files).
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToArray();
        long expected = 0;
        foreach (var entry in sorted)
        {
            if (entry.End > dataLength)
            {
                throw new DataFormatException(path, $"tensor '{entry.Name}' ends at byte {entry.End:N0} of the data but the data has {dataLength:N0} bytes (truncated file?).");
            }

            if (entry.Begin < expected)
            {
                throw new DataFormatException(path, $"tensor '{entry.Name}' overlaps another tensor at data byte {entry.Begin:N0}.");
            }

            if (entry.Begin > expected)
            {
                throw new DataFormatException(path, $"the data has a hole at bytes {expected:N0}..{entry.Begin:N0} before tensor '{entry.Name}'.");
            }

            expected = entry.End;
        }

        if (expected != dataLength)
        {
            throw new DataFormatException(path, $"the tensors cover {expected:N0} bytes of data but the file holds {dataLength:N0}.");
        }
    }

    private static Tensor Decode(Entry entry, ReadOnlySpan<byte> data, string path)
    {
        if (entry.Shape.Length is < 1 or > Tensor.MaxRank)
        {
            throw new DataFormatException(path, $"tensor '{entry.Name}' has rank {entry.Shape.Length}; Latent tensors have rank 1 to {Tensor.MaxRank}.");
        }

        var shape = entry.Shape.Select(d => (int)d).ToArray();
        var tensor = Tensor.Zeros(shape);
        var values = tensor.Span;
        switch (entry.Dtype)
        {
            case "F32" when BitConverter.IsLittleEndian:
                data.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
                break;
            case "F32":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
                }

                break;
            case "F64":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]);
                }

                break;
            case "F16":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(i * 2)..]);
                }

                break;
            case "BF16":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]) << 16);
                }

                break;
            default:
                throw new DataFormatException(path, $"tensor '{entry.Name}' has dtype {entry.Dtype}; Latent reads floating-point tensors only (F32, F64, F16, BF16).");
        }

        return tensor;
    }

    private sealed record Entry(string Name, string Dtype, long[] Shape, long Begin, long End);
}

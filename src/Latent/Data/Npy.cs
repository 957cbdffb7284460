using System.Buffers.Binary;
using System.Text;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Reads and writes NumPy's NPY format (versions 1.0, 2.0 and 3.0): float32, float64, uint8, int8, int16,
/// int32 and int64, either byte order, C or Fortran order, and structured arrays of numeric fields.
/// </summary>
/// <remarks>
/// Layout: <c>\x93NUMPY</c>, major and minor version bytes, the header length (uint16 little-endian in
/// version 1, uint32 in 2 and 3), a Python dict literal
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (n, d), }</c> padded with spaces and a newline so
/// the data starts 64-byte aligned, then the data. A Fortran-order array is read transposed, as numpy reads
/// it; a structured array (<c>descr</c> a list of <c>(name, type[, shape])</c>) of numeric fields is read as one
/// column per field value. Object, text and nested fields are refused with an error naming the field.
/// </remarks>
public static class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an NPY file into float32 values.</summary>
    public static NumericArray Read(string path) => Parse(FormatLimits.ReadFile(path), path);

    /// <summary>Parses the bytes of an NPY file; <paramref name="path"/> names it in errors.</summary>
    /// <remarks>
    /// A Fortran-order array is transposed into C order as numpy reads it; a structured array whose fields are
    /// all numeric becomes a matrix of one row per record and one column per field value.
    /// </remarks>
    public static NumericArray Parse(ReadOnlySpan<byte> bytes, string path) => Parse(bytes, path, null, out _);

    /// <summary>
    /// <see cref="Parse(ReadOnlySpan{byte}, string)"/>, with the structured array's field
    /// <paramref name="labelField"/> (when given) read as <paramref name="labels"/> instead of as a column.
    /// </summary>
    internal static unsafe NumericArray Parse(ReadOnlySpan<byte> bytes, string path, string? labelField, out int[]? labels)
    {
        var header = ParseHeader(bytes, path);
        header.CheckFileLength(bytes.Length, path, "NPY");
        var layout = new RowLayout(header, labelField, path);
        long count = (long)header.Rows * layout.Dimension;
        FormatLimits.CheckMemory(4 * count, path, $"the NPY array ({string.Join(", ", header.Shape)})");
        int[] shape = header.Fields is null ? header.Shape : [header.Rows, layout.Dimension];
        var values = new float[count];
        fixed (byte* data = bytes)
        {
            layout.CopyAll(data + header.DataOffset, values);
            labels = layout.Label is null ? null : layout.ReadLabels(data + header.DataOffset, path);
        }

        return new NumericArray(shape, values, header.Type);
    }

    /// <summary>Reads only the header of an NPY file, checking the file holds exactly its data (the rule the whole-file reader applies too).</summary>
    public static ArrayHeader ReadHeader(string path)
    {
        using var file = FormatLimits.OpenWithLength(path, out long length);
        var prefix = new byte[(int)Math.Min(length, 12 + MaxHeaderBytes)];
        prefix = prefix[..file.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false)];
        var header = ParseHeader(prefix, path);
        header.CheckFileLength(length, path, "NPY");
        return header;
    }

    /// <summary>The largest header accepted.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    /// <summary>Parses an NPY header from the first bytes of the file.</summary>
    public static ArrayHeader ParseHeader(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new DataFormatException(path, "wrong magic: an NPY file starts with \\x93NUMPY.");
        }

        int major = bytes[6];
        long headerLength;
        int start;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                start = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12)
                {
                    throw new DataFormatException(path, "the file is truncated inside its NPY preamble.");
                }

                headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                start = 12;
                break;
            default:
                throw new DataFormatException(path, $"NPY version {major}.{bytes[7]} is not supported (1.0, 2.0 and 3.0 are).");
        }

        if (headerLength > MaxHeaderBytes || start + headerLength > bytes.Length)
        {
            throw new DataFormatException(path, $"the NPY header claims {headerLength:N0} bytes but {Math.Max(0, bytes.Length - start):N0} are present (limit {MaxHeaderBytes:N0}).");
        }

        string text;
        try
        {
            var encoding = major == 3 ? new UTF8Encoding(false, true) : (Encoding)Encoding.GetEncoding("latin1", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            text = encoding.GetString(bytes.Slice(start, (int)headerLength));
        }
        catch (DecoderFallbackException exception)
        {
            throw new DataFormatException(path, "the NPY header is not valid text.", exception);
        }

        Dictionary<string, object?> dict;
        try
        {
            dict = PythonLiteral.Parse(text) as Dictionary<string, object?> ?? throw new FormatException("not a dict");
        }
        catch (FormatException exception)
        {
            throw new DataFormatException(path, $"the NPY header is not a Python dict literal ({exception.Message}): {Shorten(text)}", exception);
        }

        var shape = Field<List<object?>>(dict, "shape", text, path);
        if (shape.Count == 0)
        {
            throw new DataFormatException(path, "the array is a scalar (shape ()); Latent reads arrays of rank 1 or more.");
        }

        if (shape.FirstOrDefault(d => d is not long) is { } bad)
        {
            throw new DataFormatException(path, $"the NPY shape entry '{bad}' is not a size.");
        }

        var dims = shape.Select(d => (long)d!).ToArray();
        if (dims.FirstOrDefault(d => d > int.MaxValue) is > 0 and var tooLong)
        {
            throw new DataFormatException(path, $"the NPY shape entry {tooLong:N0} is larger than the limit of {int.MaxValue:N0}.");
        }

        FormatLimits.CheckedProduct(dims, FormatLimits.MaxElements, path, "the NPY array");
        bool fortran = Field<bool>(dict, "fortran_order", text, path) && dims.Length > 1;
        object descr = dict.GetValueOrDefault("descr") ?? throw new DataFormatException(path, $"the NPY header has no valid 'descr' entry: {Shorten(text)}");
        if (descr is List<object?> list)
        {
            var (fields, recordBytes) = NpyDescr.ParseFields(list, path);
            if (dims.Length != 1)
            {
                throw new DataFormatException(path, $"the structured array has shape ({string.Join(", ", dims)}); Latent reads structured arrays of one dimension (a record per row).");
            }

            return new ArrayHeader(fields[0].Type, fields[0].BigEndian, [(int)dims[0]], start + headerLength) { Fields = fields, RecordBytes = recordBytes };
        }

        var (type, bigEndian) = NpyDescr.Parse(descr as string ?? throw new DataFormatException(path, $"the NPY header has no valid 'descr' entry: {Shorten(text)}"), path);
        return new ArrayHeader(type, bigEndian, dims.Select(d => (int)d).ToArray(), start + headerLength) { FortranOrder = fortran };
    }

    /// <summary>Writes <paramref name="array"/> as an NPY file of <paramref name="type"/>, atomically.</summary>
    /// <remarks>Version 1.0 unless the header needs more than 65,535 bytes (then 2.0); little-endian, C order.</remarks>
    public static void Write(string path, NumericArray array, ElementType type = ElementType.Float32)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Serialize(array, type);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes a float32 matrix (or any tensor) as NPY, atomically.</summary>
    public static void Write(string path, Tensors.Tensor tensor, ElementType type = ElementType.Float32)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Write(path, new NumericArray(tensor.Shape, tensor.ToArray()), type);
    }

    /// <summary>Writes integer labels as an int32 NPY vector, atomically.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<int> labels)
    {
        var values = new float[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            values[i] = labels[i];
        }

        Write(path, new NumericArray([labels.Length], values), ElementType.Int32);
    }

    /// <summary>The bytes of an NPY file holding <paramref name="array"/> as <paramref name="type"/>.</summary>
    public static byte[] Serialize(NumericArray array, ElementType type = ElementType.Float32)
    {
        ArgumentNullException.ThrowIfNull(array);
        string descr = type switch
        {
            ElementType.UInt8 => "|u1",
            ElementType.Int8 => "|i1",
            ElementType.Int16 => "<i2",
            ElementType.Int32 => "<i4",
            ElementType.Int64 => "<i8",
            ElementType.Float32 => "<f4",
            _ => "<f8",
        };
        string shape = array.Shape.Length == 1 ? $"({array.Shape[0]},)" : $"({string.Join(", ", array.Shape)})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int major = dict.Length + 11 > ushort.MaxValue ? 2 : 1;
        int preamble = major == 1 ? 10 : 12;
        int total = (preamble + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - preamble - 1) + "\n";
        long dataBytes = (long)array.Values.Length * ElementConversion.SizeOf(type);
        var output = new byte[total + dataBytes];
        Magic.CopyTo(output);
        output[6] = (byte)major;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(8), (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(8), (uint)header.Length);
        }

        Encoding.Latin1.GetBytes(header, output.AsSpan(preamble));
        ElementConversion.FromFloat(array.Values, type, bigEndian: false, output.AsSpan(total));
        return output;
    }

    private static T Field<T>(Dictionary<string, object?> dict, string key, string text, string path) =>
        dict.TryGetValue(key, out object? value) && value is T typed
            ? typed
            : throw new DataFormatException(path, $"the NPY header has no valid '{key}' entry: {Shorten(text)}");

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length > 200 ? text[..197] + "..." : text;
    }
}

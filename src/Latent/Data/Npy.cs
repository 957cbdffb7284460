using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Latent.Serialization;

namespace Latent.Data;

/// <summary>
/// Reads and writes NumPy's NPY format (versions 1.0, 2.0 and 3.0): float32, float64, uint8, int8, int16,
/// int32 and int64, either byte order, C order.
/// </summary>
/// <remarks>
/// Layout: <c>\x93NUMPY</c>, major and minor version bytes, the header length (uint16 little-endian in
/// version 1, uint32 in 2 and 3), a Python dict literal
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (n, d), }</c> padded with spaces and a newline so
/// the data starts 64-byte aligned, then the data. Fortran-order files are refused with a clear error.
/// </remarks>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an NPY file into float32 values.</summary>
    public static NumericArray Read(string path) => Parse(FormatLimits.ReadFile(path), path);

    /// <summary>Parses the bytes of an NPY file; <paramref name="path"/> names it in errors.</summary>
    public static NumericArray Parse(ReadOnlySpan<byte> bytes, string path)
    {
        var header = ParseHeader(bytes, path);
        header.CheckFileLength(bytes.Length, path, "NPY");
        FormatLimits.CheckMemory(4 * header.Count, path, $"the NPY array ({string.Join(", ", header.Shape)})");
        var values = new float[header.Count];
        ElementConversion.ToFloat(bytes[(int)header.DataOffset..], header.Type, header.BigEndian, values);
        return new NumericArray(header.Shape, values, header.Type);
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

        var (type, bigEndian) = ParseDescr(Field(text, "descr", DescrPattern(), path), path);
        string fortran = Field(text, "fortran_order", FortranPattern(), path);
        if (fortran == "True")
        {
            throw new DataFormatException(path, "the array is stored in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray) to read it with Latent.");
        }

        string shapeText = Field(text, "shape", ShapePattern(), path);
        var parts = shapeText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new DataFormatException(path, "the array is a scalar (shape ()); Latent reads arrays of rank 1 or more.");
        }

        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new DataFormatException(path, $"the NPY shape entry '{parts[i]}' is not a size.");
            }
        }

        FormatLimits.CheckedProduct(shape, FormatLimits.MaxElements, path, "the NPY array");
        return new ArrayHeader(type, bigEndian, shape.Select(d => (int)d).ToArray(), start + headerLength);
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

    private static string Field(string header, string key, Regex pattern, string path)
    {
        var match = pattern.Match(header);
        return match.Success
            ? match.Groups[1].Value
            : throw new DataFormatException(path, $"the NPY header has no valid '{key}' entry: {header.Trim()}");
    }

    private static (ElementType Type, bool BigEndian) ParseDescr(string descr, string path)
    {
        if (descr.Length < 2)
        {
            throw new DataFormatException(path, $"unknown NPY dtype '{descr}'.");
        }

        char order = descr[0];
        string code = descr[1..];
        bool bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        var type = code switch
        {
            "u1" => ElementType.UInt8,
            "i1" => ElementType.Int8,
            "i2" => ElementType.Int16,
            "i4" => ElementType.Int32,
            "i8" => ElementType.Int64,
            "f4" => ElementType.Float32,
            "f8" => ElementType.Float64,
            _ => throw new DataFormatException(path, $"the NPY dtype '{descr}' is not supported (float32, float64, uint8, int8, int16, int32 and int64 are)."),
        };
        return order is '<' or '>' or '|' or '=' ? (type, bigEndian) : throw new DataFormatException(path, $"unknown byte order in NPY dtype '{descr}'.");
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([0-9,\sL]*)\)")]
    private static partial Regex ShapePattern();
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Data;

namespace Latent.Tests.Data;

/// <summary>
/// Writes NPY and NPZ files by the format's specification, independently of the reader under test: any header
/// dict (Fortran order, structured descr), C- or Fortran-ordered data of any element type and byte order.
/// </summary>
internal static class NpySpecWriter
{
    public static ElementType[] Types { get; } = [ElementType.UInt8, ElementType.Int8, ElementType.Int16, ElementType.Int32, ElementType.Int64, ElementType.Float32, ElementType.Float64];

    /// <summary>An NPY file: <paramref name="dict"/> (without braces' padding) then <paramref name="data"/>.</summary>
    public static byte[] File(string dict, ReadOnlySpan<byte> data)
    {
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 11) + "\n";
        var bytes = new byte[total + data.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header, bytes.AsSpan(10));
        data.CopyTo(bytes.AsSpan(total));
        return bytes;
    }

    /// <summary>The type string numpy writes for <paramref name="type"/>.</summary>
    public static string Descr(ElementType type, bool bigEndian) => type switch
    {
        ElementType.UInt8 => "|u1",
        ElementType.Int8 => "|i1",
        _ => (bigEndian ? ">" : "<") + type switch
        {
            ElementType.Int16 => "i2",
            ElementType.Int32 => "i4",
            ElementType.Int64 => "i8",
            ElementType.Float32 => "f4",
            _ => "f8",
        },
    };

    public static string Shape(int[] shape) => shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    /// <summary>
    /// An array of <paramref name="values"/> (row-major, C order) stored in <paramref name="fortran"/> order:
    /// numpy's element (i0, i1, ..., ik) of a Fortran array is at i0 + n0·(i1 + n1·(i2 + ...)).
    /// </summary>
    public static byte[] Array(int[] shape, float[] values, ElementType type, bool bigEndian, bool fortran)
    {
        int size = Size(type);
        var data = new byte[values.Length * size];
        var index = new int[shape.Length];
        for (int c = 0; c < values.Length; c++)
        {
            long at = c;
            if (fortran)
            {
                at = 0;
                for (int axis = shape.Length - 1; axis >= 0; axis--)
                {
                    at = (at * shape[axis]) + index[axis];
                }
            }

            Encode(values[c], type, bigEndian, data.AsSpan((int)at * size, size));
            for (int axis = shape.Length - 1; axis >= 0 && ++index[axis] == shape[axis]; axis--)
            {
                index[axis] = 0;
            }
        }

        return File($"{{'descr': '{Descr(type, bigEndian)}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {Shape(shape)}, }}", data);
    }

    public static int Size(ElementType type) => type switch
    {
        ElementType.UInt8 or ElementType.Int8 => 1,
        ElementType.Int16 => 2,
        ElementType.Int32 or ElementType.Float32 => 4,
        _ => 8,
    };

    // The library's encoder is not under test here (the layout is); the reader's decoder is separate code.
    public static void Encode(float value, ElementType type, bool bigEndian, Span<byte> destination) =>
        ElementConversion.FromFloat([value], type, bigEndian, destination);

    /// <summary>Values every element type holds exactly (integers in the int8 range; fractions for floats).</summary>
    public static float[] Values(int count, ElementType type, int seed) =>
        Enumerable.Range(0, count).Select(i =>
        {
            int v = ((i * 37) + (seed * 11)) % 251;
            return type switch
            {
                ElementType.UInt8 => v,
                ElementType.Float32 or ElementType.Float64 => (v - 125) / 8f,
                _ => v - 125,
            };
        }).ToArray();

    /// <summary>An .npz archive of <paramref name="members"/> (name without .npy → NPY bytes).</summary>
    public static byte[] Npz(IEnumerable<(string Name, byte[] Npy)> members, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, npy) in members)
            {
                using var stream = archive.CreateEntry(name + ".npy", level).Open();
                stream.Write(npy);
            }
        }

        return output.ToArray();
    }
}

using System.Buffers.Binary;
using System.Text;
using Latent.Data;
using Latent.Serialization;
using Latent.Tests.Serialization;

namespace Latent.Tests.Data;

public class NpyTests
{
    [Theory]
    [InlineData(ElementType.Float32)]
    [InlineData(ElementType.Float64)]
    [InlineData(ElementType.UInt8)]
    [InlineData(ElementType.Int8)]
    [InlineData(ElementType.Int16)]
    [InlineData(ElementType.Int32)]
    [InlineData(ElementType.Int64)]
    public void RoundTripsEveryElementType(ElementType type)
    {
        using var folder = new TempFolder();
        string path = folder.File("a.npy");
        float[] values = type is ElementType.Float32 or ElementType.Float64 ? [-1.5f, 0.1f, 3e30f, 0, 2, 7] : [0, 1, 2, 100, 127, 5];
        Npy.Write(path, new NumericArray([3, 2], values), type);
        var read = Npy.Read(path);
        Assert.Equal([3, 2], read.Shape);
        Assert.Equal(values, read.Values);
        Assert.Equal(type, read.StoredType);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, (10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))) % 64);
    }

    [Fact]
    public void ReadsVersion2AndBigEndian()
    {
        string dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }";
        string header = dict.PadRight(128 - 12 - 1) + "\n";
        var bytes = new byte[128 + 8];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 12);
        BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(128), 1.25f);
        BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(132), -3f);
        var array = Npy.Parse(bytes, "v2.npy");
        Assert.Equal([2], array.Shape);
        Assert.Equal([1.25f, -3f], array.Values);
    }

    [Fact]
    public void FortranOrderIsReadTransposed()
    {
        // The same four values flagged Fortran order are the transpose: column-major [[1, 3], [2, 4]].
        var bytes = Npy.Serialize(new NumericArray([2, 2], [1, 2, 3, 4]));
        string text = Encoding.Latin1.GetString(bytes);
        bytes = Encoding.Latin1.GetBytes(text.Replace("'fortran_order': False", "'fortran_order': True "));
        Assert.Equal([1f, 3, 2, 4], Npy.Parse(bytes, "f.npy").Values);
    }

    [Fact]
    public void CorruptFilesGiveClearErrors()
    {
        var valid = Npy.Serialize(new NumericArray([2, 2], [1, 2, 3, 4]));
        Assert.Contains("wrong magic", Assert.Throws<DataFormatException>(() => Npy.Parse(Encoding.ASCII.GetBytes("PK\x03\x04 not numpy"), "z")).Message);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => Npy.Parse(valid[..^3], "t")).Message);
        string text = Encoding.Latin1.GetString(valid);
        // A header claiming 2^40 elements (the padding absorbs the longer shape, so the length field still holds).
        var claim = Npy.Serialize(new NumericArray([1], [0]));
        string claimText = Encoding.Latin1.GetString(claim).Replace("(1,), }", "(1099511627776,), }");
        claimText = claimText.Remove(claimText.IndexOf('\n', StringComparison.Ordinal) - 12, 12);
        var claimBytes = Encoding.Latin1.GetBytes(claimText);
        Assert.Contains("larger than the limit", Assert.Throws<DataFormatException>(() => Npy.Parse(claimBytes, "huge.npy")).Message);
        var unknown = Encoding.Latin1.GetBytes(text.Replace("'<f4'", "'<c8'"));
        Assert.Contains("not supported", Assert.Throws<DataFormatException>(() => Npy.Parse(unknown, "c.npy")).Message);
    }

    [Fact]
    public void IntegerWritesRefuseValuesTheyCannotHold()
    {
        Assert.Throws<ArgumentException>(() => Npy.Serialize(new NumericArray([2], [1.5f, 2]), ElementType.Int32));
        Assert.Throws<ArgumentException>(() => Npy.Serialize(new NumericArray([2], [256, 2]), ElementType.UInt8));
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedFilesRaiseOnlyFormatErrors()
    {
        var valid = Npy.Serialize(new NumericArray([4, 3], Enumerable.Range(0, 12).Select(i => (float)i).ToArray()), ElementType.Int16);
        Assert.InRange(FuzzHelper.Run(valid, b => Npy.Parse(b, "fuzz"), 3000, seed: 3), 500, 3000);
    }
}

using System.Buffers.Binary;
using System.Text;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Serialization;

public class SafeTensorsTests
{
    private static Dictionary<string, Tensor> SampleTensors()
    {
        var rng = new Rng(7);
        var tensors = new Dictionary<string, Tensor>
        {
            ["encoder.0.weight"] = Tensor.Zeros(4, 3),
            ["encoder.0.bias"] = Tensor.Zeros(4),
            ["decoder.conv.weight"] = Tensor.Zeros(2, 3, 2, 2),
            ["empty"] = Tensor.Zeros(0, 5),
        };
        foreach (var t in tensors.Values)
        {
            rng.FillNormal(t.Span);
        }

        return tensors;
    }

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var tensors = SampleTensors();
        var metadata = new Dictionary<string, string> { ["preset"] = "vae", ["options"] = "{\"latent\": 20}" };
        SafeTensors.Write(path, tensors, metadata);
        var read = SafeTensors.Read(path);
        Assert.Equal(tensors.Keys.Order(), read.Tensors.Keys.Order());
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.Shape, read.Tensors[name].Shape);
            Assert.Equal(tensor.ToArray(), read.Tensors[name].ToArray());
        }

        Assert.Equal(metadata, read.Metadata);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void ReadMetadataReadsTheHeaderAloneWithTheWholeReadersMessages()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var metadata = new Dictionary<string, string> { ["latent.format"] = "adversarial/1", ["options"] = "{}" };
        SafeTensors.Write(path, SampleTensors(), metadata);
        Assert.Equal(metadata, SafeTensors.ReadMetadata(path));

        // The tensors' bytes are not read: a file cut inside its data still gives its metadata, which Read refuses.
        byte[] bytes = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        File.WriteAllBytes(path, bytes[..(headerEnd + 4)]);
        Assert.Equal(metadata, SafeTensors.ReadMetadata(path));
        Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));

        // A header that the file cannot hold, or no header at all: the same one-line errors as Read.
        foreach (byte[] broken in new[] { bytes[..(headerEnd - 1)], bytes[..5] })
        {
            File.WriteAllBytes(path, broken);
            string whole = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path)).Message;
            Assert.Equal(whole, Assert.Throws<DataFormatException>(() => SafeTensors.ReadMetadata(path)).Message);
        }

        Assert.Throws<FileNotFoundException>(() => SafeTensors.ReadMetadata(folder.File("missing.safetensors")));
    }

    [Fact]
    public void HeaderIsAlignedSortedAndDataCoversTheBuffer()
    {
        byte[] bytes = SafeTensors.Serialize(SampleTensors(), new Dictionary<string, string> { ["a"] = "b" });
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"a\":\"b\"}", header);
        Assert.True(header.IndexOf("decoder.conv.weight", StringComparison.Ordinal) < header.IndexOf("empty", StringComparison.Ordinal));
        Assert.Equal(8 + headerLength + (4 * (12 + 4 + 24)), bytes.Length);
    }

    [Fact]
    public void ReadsOtherFloatTypes()
    {
        var data = new byte[8 + 4 + 4];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 1.5);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(8), (Half)(-2.25));
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(10), (Half)0.5);
        // bfloat16 is the top half of a float32.
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(12), (ushort)(BitConverter.SingleToUInt32Bits(3.0f) >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(14), (ushort)(BitConverter.SingleToUInt32Bits(-0.125f) >> 16));
        string json = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},\"c\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[12,16]}}";
        var file = SafeTensors.Parse(Build(json, data), "x");
        Assert.Equal([1.5f], file.Tensors["a"].ToArray());
        Assert.Equal([-2.25f, 0.5f], file.Tensors["b"].ToArray());
        Assert.Equal([3.0f, -0.125f], file.Tensors["c"].ToArray());
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "hole")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", "unknown dtype 'Q7'")]
    [InlineData("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "floating-point tensors only")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],\"data_offsets\":[0,8]}}", "larger than the limit")]
    [InlineData("{\"__metadata__\":{\"k\":3},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "not a string")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,2],\"data_offsets\":[0,8]}}", "rank 5")]
    public void CorruptHeadersGiveClearErrors(string json, string expected)
    {
        var exception = Assert.Throws<DataFormatException>(() => SafeTensors.Parse(Build(json, new byte[8]), "bad.safetensors"));
        Assert.Contains(expected, exception.Message);
        Assert.StartsWith("bad.safetensors: ", exception.Message);
    }

    [Fact]
    public void ImpossibleHeaderLengthIsRejectedBeforeAllocating()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        var exception = Assert.Throws<DataFormatException>(() => SafeTensors.Parse(bytes, "huge"));
        Assert.Contains("header claims", exception.Message);
        Assert.Throws<DataFormatException>(() => SafeTensors.Parse(new byte[5], "short"));
    }

    [Fact]
    public void WriteIsAtomicWhenItFails()
    {
        using var folder = new TempFolder();
        string path = folder.File("keep.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedFilesRaiseOnlyFormatErrors()
    {
        byte[] valid = SafeTensors.Serialize(SampleTensors(), new Dictionary<string, string> { ["preset"] = "ae" });
        int rejected = FuzzHelper.Run(valid, bytes => SafeTensors.Parse(bytes, "fuzz"), 3000, seed: 11);
        Assert.InRange(rejected, 1000, 3000);
    }

    private static byte[] Build(string json, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}

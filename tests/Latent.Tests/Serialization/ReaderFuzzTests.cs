using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Classical;
using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Serialization;

/// <summary>
/// Every reader on mutated and hostile inputs: only the reader's format error may escape. CI runs this
/// category again under a 1 GiB GC heap limit, where a reader that sizes a buffer from a header instead of
/// from the bytes present fails with an out-of-memory.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class ReaderFuzzTests
{
    private static readonly Func<Exception, bool> s_optionsError = e => e is FormatException or ArgumentException or DataFormatException;

    [Fact]
    public void TheHeapLimitIsInForceWhenSet()
    {
        // The CI step sets DOTNET_GCHeapHardLimit; this proves the runtime obeys it, so the step tests what it claims.
        string? limit = Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit");
        if (limit is null)
        {
            return;
        }

        long bytes = Convert.ToInt64(limit.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? limit[2..] : limit, 16);
        Assert.InRange(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, 1, bytes);
    }

    [Fact]
    public void IdxRawAndGzip()
    {
        var array = new NumericArray([3, 4, 5], Enumerable.Range(0, 60).Select(i => (float)(i % 7)).ToArray());
        using var folder = new TempFolder();
        foreach (bool gzip in new[] { false, true })
        {
            string path = folder.File(gzip ? "a.idx.gz" : "a.idx");
            Idx.Write(path, array, ElementType.Int16, gzip);
            var valid = File.ReadAllBytes(path);
            Assert.InRange(FuzzHelper.Run(valid, b => Idx.Parse(b, "fuzz"), 2000, seed: gzip ? 21UL : 22UL), 200, 2000);
            Assert.InRange(FuzzHelper.Run(valid, b => ReadThroughFile(folder, "f.idx", b, p => ArrayFiles.Read(p)), 300, seed: gzip ? 23UL : 24UL), 30, 300);
        }
    }

    [Fact]
    public void Npy()
    {
        var valid = Latent.Data.Npy.Serialize(new NumericArray([4, 3], Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray()), ElementType.Float64);
        Assert.InRange(FuzzHelper.Run(valid, b => Latent.Data.Npy.Parse(b, "fuzz"), 2000, seed: 25), 200, 2000);
        using var folder = new TempFolder();
        Assert.InRange(FuzzHelper.Run(valid, b => ReadThroughFile(folder, "f.npy", b, p => MappedSource.Open(p).Dispose()), 300, seed: 26), 30, 300);
    }

    [Fact]
    public void Csv()
    {
        var valid = Encoding.UTF8.GetBytes("x,y,z,label\n1,2.5,-3,cat\n\"4\",5e3,6,dog\n\n7,8,9,cat\r\n");
        using var folder = new TempFolder();
        Assert.InRange(FuzzHelper.Run(valid, b => ReadThroughFile(folder, "f.csv", b, p => Latent.Data.Csv.Read(p, new CsvOptions { LabelColumn = "label" })), 1500, seed: 27), 200, 1500);
        Assert.InRange(FuzzHelper.Run(valid, b => Latent.Data.Csv.Parse(Encoding.UTF8.GetString(b), "fuzz", new CsvOptions { LabelIndex = 3, Delimiter = ',' }), 1500, seed: 28), 100, 1500);
    }

    [Fact]
    public void Png()
    {
        var pixels = RandomBytes(7 * 5 * 4, 3);
        var valid = Latent.Data.Png.Encode(new PngImage(7, 5, PngColor.Rgba, pixels));
        Assert.InRange(FuzzHelper.Run(valid, b => Latent.Data.Png.Decode(b, "fuzz.png"), 2000, seed: 29), 500, 2000);
        using var folder = new TempFolder();
        Assert.InRange(FuzzHelper.Run(valid, b => ReadThroughFile(folder, "f.png", b, p => PngFolder.Load(folder.Path)), 300, seed: 30), 50, 300);
    }

    [Fact]
    public void SafeTensorsFiles()
    {
        var tensors = new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3), ["b.bias"] = Tensor.FromArray([7, 8], 2) };
        var valid = SafeTensors.Serialize(tensors, new Dictionary<string, string> { ["format"] = "x" });
        Assert.InRange(FuzzHelper.Run(valid, b => SafeTensors.Parse(b, "fuzz"), 2000, seed: 31), 300, 2000);
    }

    [Fact]
    public void AutoencoderOptionsJson()
    {
        var valid = Encoding.UTF8.GetBytes(ModelTestData.Small("vae").ToJson());
        Assert.InRange(FuzzHelper.Run(valid, b => AutoencoderOptions.FromJson(Encoding.UTF8.GetString(b)), 2000, seed: 32, s_optionsError), 300, 2000);
    }

    [Fact]
    public void ClassicalModelOptions()
    {
        using var folder = new TempFolder();
        string path = folder.File("pca.safetensors");
        var x = Tensor.FromArray(Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i * 0.7) + (i % 5)).ToArray(), 20, 3);
        new PcaOptions { Components = 2 }.Fit(x).Save(path);
        var file = SafeTensors.Read(path);
        var options = Encoding.UTF8.GetBytes(file.Metadata["options"]);
        int rejected = FuzzHelper.Run(options, b =>
        {
            var metadata = file.Metadata.ToDictionary(p => p.Key, p => p.Value);
            metadata["options"] = Encoding.UTF8.GetString(b);
            SafeTensors.Write(path, file.Tensors, metadata);
            ClassicalModelFile.Load(path);
        }, 400, seed: 33, s_optionsError);
        Assert.InRange(rejected, 50, 400);
    }

    public static TheoryData<string, byte[]> HostileFiles()
    {
        var data = new TheoryData<string, byte[]>
        {
            // A tiny file whose header claims just under 2^31 elements, and one past every limit.
            { "huge.idx", Idx1(0x0D, 0x7FFFFFC7) },
            { "over.idx", [0, 0, 0x08, 3, .. Be(0xFFFFFFFF), .. Be(0xFFFFFFFF), .. Be(0xFFFFFFFF)] },
            { "huge.idx.gz", Gzip(Idx1(0x08, 0x7FFFFFC7)) },
            // Within deflate's ratio (1 MiB of random bytes may claim 1 GiB) but a lie all the same.
            { "liar.idx.gz", Gzip([.. Idx1(0x08, 1 << 30), .. RandomBytes(1 << 20, 17)]) },
            { "huge.npy", NpyHeader("(2147483591,)", "<f4") },
            { "square.npy", NpyHeader("(100000, 100000)", "<f8") },
            { "huge.safetensors", SafeTensorsHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2147483591],\"data_offsets\":[0,8589934364]}}") },
            { "square.safetensors", SafeTensorsHeader("{\"t\":{\"dtype\":\"F64\",\"shape\":[65536,65536],\"data_offsets\":[0,34359738368]}}") },
            { "length.safetensors", [.. BitConverter.GetBytes(long.MaxValue), .. "{}"u8] },
            { "huge.png", PngFile(16384, 16384, Zlib(new byte[100])) },
            { "wide.png", PngFile(1 << 20, 1 << 20, Zlib(new byte[100])) },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void HostileHeadersGiveFormatErrors(string name, byte[] bytes)
    {
        using var folder = new TempFolder();
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        var readers = new List<Action>();
        if (name.Contains(".idx", StringComparison.Ordinal) || name.EndsWith(".npy", StringComparison.Ordinal))
        {
            readers.Add(() => ArrayFiles.Read(path));
            readers.Add(() => ArrayFiles.Load(path));
            if (!name.EndsWith(".gz", StringComparison.Ordinal))
            {
                readers.Add(() => MappedSource.Open(path).Dispose());
            }
        }
        else if (name.EndsWith(".png", StringComparison.Ordinal))
        {
            readers.Add(() => Latent.Data.Png.Read(path));
            readers.Add(() => PngFolder.Load(folder.Path));
        }
        else
        {
            readers.Add(() => SafeTensors.Read(path));
        }

        foreach (var read in readers)
        {
            var error = Assert.Throws<DataFormatException>(read);
            Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HostileCsvLinesGiveFormatErrors()
    {
        using var folder = new TempFolder();
        string path = folder.File("wide.csv");
        // A first row of two columns, then a 2 MB line of a million fields, then an unclosed quote.
        File.WriteAllText(path, "1,2\n" + string.Join(',', Enumerable.Repeat("0", 1_000_000)) + "\n");
        Assert.Contains("line 2 has 1000000 fields", Assert.Throws<DataFormatException>(() => Latent.Data.Csv.Read(path)).Message);
        File.WriteAllText(path, "1,2\n\"" + new string('9', 1 << 21) + "\n");
        Assert.Contains("line 2: a quoted field is not closed", Assert.Throws<DataFormatException>(() => Latent.Data.Csv.Read(path)).Message);
    }

    private static void ReadThroughFile(TempFolder folder, string name, byte[] bytes, Action<string> read)
    {
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        read(path);
    }

    private static byte[] Be(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Idx1(byte type, uint count) => [0, 0, type, 1, .. Be(count)];

    private static byte[] RandomBytes(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = (byte)rng.NextInt(256);
        }

        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Zlib(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] NpyHeader(string shape, string descr)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}".PadRight(117) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)dict.Length, 0, .. Encoding.ASCII.GetBytes(dict), 1, 2, 3, 4];
    }

    private static byte[] SafeTensorsHeader(string json) => [.. BitConverter.GetBytes((long)json.Length), .. Encoding.ASCII.GetBytes(json), 0, 0, 0, 0];

    /// <summary>A PNG of the given declared size (grey, 8 bits) whose IDAT holds <paramref name="idat"/>.</summary>
    internal static byte[] PngFile(int width, int height, byte[] idat)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(output, "IHDR", [.. Be((uint)width), .. Be((uint)height), 8, 0, 0, 0, 0]);
        Chunk(output, "IDAT", idat);
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    internal static void Chunk(Stream output, string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(Be((uint)data.Length));
        output.Write(typeBytes);
        output.Write(data);
        output.Write(Be(Crc32.Compute([.. typeBytes, .. data])));
    }
}

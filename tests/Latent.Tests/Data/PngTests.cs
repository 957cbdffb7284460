using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;
using Latent.Tests.Serialization;
using Latent.Visuals;

namespace Latent.Tests.Data;

public class PngTests
{
    [Theory]
    [InlineData(PngColor.Grey)]
    [InlineData(PngColor.GreyAlpha)]
    [InlineData(PngColor.Rgb)]
    [InlineData(PngColor.Rgba)]
    public void RoundTripsEveryColourType(PngColor color)
    {
        using var folder = new TempFolder();
        var rng = new Rng((ulong)color);
        int width = 13, height = 7;
        var pixels = new byte[width * height * (int)color];
        for (int i = 0; i < pixels.Length; i++)
        {
            // A mix of smooth gradients and noise, so every filter gets chosen somewhere.
            pixels[i] = i % 3 == 0 ? (byte)rng.NextInt(256) : (byte)(i * 7);
        }

        string path = folder.File("i.png");
        Png.Write(path, new PngImage(width, height, color, pixels));
        var read = Png.Read(path);
        Assert.Equal((width, height, color), (read.Width, read.Height, read.Color));
        Assert.Equal(pixels, read.Pixels);
    }

    [Fact]
    public void WritesImagesWhoseFilteredBytesAre0x80()
    {
        // Mid-grey 128 is 0x80 after the None filter, −128 as a signed byte: the filter heuristic once took
        // Math.Abs of that sbyte and overflowed, so every image grid (its padding is mid-grey) failed to write.
        // A ramp by 128 makes Sub and Up differences 0x80 too.
        int width = 9, height = 4;
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = i < width ? (byte)128 : (byte)(128 * (i % 2));
        }

        var read = Png.Decode(Png.Encode(new PngImage(width, height, PngColor.Grey, pixels)), "grey");
        Assert.Equal(pixels, read.Pixels);
        var grid = ImageGrid.Compose(new float[4 * 4], 1, new ImageShape(1, 4, 4));
        Assert.Equal(128, Png.Decode(Png.Encode(grid), "grid")[0, 0, 0]);
    }

    [Fact]
    public void RoundTripsPaletteImages()
    {
        byte[] palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
        byte[] indices = [0, 1, 2, 2, 1, 0];
        var rgb = Png.Decode(Png.EncodeIndexed(3, 2, indices, palette), "p");
        Assert.Equal(PngColor.Rgb, rgb.Color);
        Assert.Equal((0, 255, 0), (rgb[1, 0, 0], rgb[1, 0, 1], rgb[1, 0, 2]));
        var rgba = Png.Decode(Png.EncodeIndexed(3, 2, indices, palette, [10, 20]), "p");
        Assert.Equal(PngColor.Rgba, rgba.Color);
        Assert.Equal([10, 20, 255], new[] { rgba[0, 0, 3], rgba[1, 0, 3], rgba[2, 0, 3] });
    }

    [Fact]
    public void ConvertsSixteenBitAndSubByteDepths()
    {
        // 16-bit grey: 2 pixels, 0xFFFF and 0x8080 -> 255 and round(0x8080·255/65535) = 128.
        var sixteen = Build(2, 1, 16, 0, [[0, 0xFF, 0xFF, 0x80, 0x80]]);
        Assert.Equal([255, 128], Png.Decode(sixteen, "s").Pixels);
        // 2-bit grey: samples 0, 1, 2, 3 -> 0, 85, 170, 255, packed in one byte 0b00011011.
        var two = Build(4, 1, 2, 0, [[0, 0b00011011]]);
        Assert.Equal([0, 85, 170, 255], Png.Decode(two, "t").Pixels);
        // 1-bit palette: row 0 indices 1, 0, 1; row 1 filtered "up" (01000000 + 10100000) gives 1, 1, 1.
        var plte = new byte[] { 0, 0, 0, 200, 100, 50 };
        var one = Build(3, 2, 1, 3, [[0, 0b10100000], [2, 0b01000000]], plte);
        var image = Png.Decode(one, "o");
        Assert.Equal((200, 100, 50), (image[0, 0, 0], image[0, 0, 1], image[0, 0, 2]));
        Assert.Equal((0, 0, 0), (image[1, 0, 0], image[1, 0, 1], image[1, 0, 2]));
        Assert.Equal((200, 100, 50), (image[1, 1, 0], image[1, 1, 1], image[1, 1, 2]));
        Assert.Equal((200, 100, 50), (image[0, 1, 0], image[0, 1, 1], image[0, 1, 2]));
    }

    [Fact]
    public void DecodesEveryFilterType()
    {
        // RGB 2×2 rows filtered with sub, average and Paeth; expected pixels computed by hand.
        var rows = new byte[][] { [1, 10, 20, 30, 5, 5, 5], [3, 1, 2, 3, 4, 5, 6], [4, 1, 1, 1, 1, 1, 1] };
        var png = Build(2, 3, 8, 2, rows);
        var pixels = Png.Decode(png, "f").Pixels;
        // Row 0 (sub): 10,20,30 then 15,25,35.
        // Row 1 (average): (0+10)/2+1=6, (0+20)/2+2=12, (0+30)/2+3=18; then (6+15)/2+4=14, (12+25)/2+5=23, (18+35)/2+6=32.
        // Row 2 (Paeth): first pixel predicts from up (a = c = 0): 7,13,19; second: a=7,b=14,c=6 -> p=15, nearest b=14 -> 15; likewise 24, 33.
        Assert.Equal([10, 20, 30, 15, 25, 35, 6, 12, 18, 14, 23, 32, 7, 13, 19, 15, 24, 33], pixels);
    }

    [Fact]
    public void CorruptFilesGiveClearErrors()
    {
        var valid = Png.Encode(new PngImage(4, 4, PngColor.Grey, new byte[16]));
        var badCrc = (byte[])valid.Clone();
        badCrc[8 + 8 + 5] ^= 1;
        Assert.Contains("bad CRC in chunk IHDR", Assert.Throws<DataFormatException>(() => Png.Decode(badCrc, "c.png")).Message);
        Assert.Contains("wrong signature", Assert.Throws<DataFormatException>(() => Png.Decode(Encoding.ASCII.GetBytes("GIF89a......"), "g")).Message);
        Assert.Throws<DataFormatException>(() => Png.Decode(valid[..^12], "t.png"));
        Assert.Contains("interlaced", Assert.Throws<DataFormatException>(() => Png.Decode(Build(1, 1, 8, 0, [[0, 0]], interlace: 1), "i.png")).Message);
        Assert.Contains("more than the limit", Assert.Throws<DataFormatException>(() => Png.Decode(Build(1 << 20, 1 << 20, 8, 0, [[0, 0]]), "h.png")).Message);
        Assert.Contains("compressed bytes can hold", Assert.Throws<DataFormatException>(() => Png.Decode(Build(16000, 16000, 8, 0, [[0, 0]]), "b.png")).Message);
        Assert.Contains("unknown filter type 9", Assert.Throws<DataFormatException>(() => Png.Decode(Build(1, 1, 8, 0, [[9, 0]]), "u.png")).Message);
        Assert.Contains("not a valid PNG combination", Assert.Throws<DataFormatException>(() => Png.Decode(Build(1, 1, 4, 2, [[0, 0]]), "v.png")).Message);
        Assert.Contains("ends after", Assert.Throws<DataFormatException>(() => Png.Decode(Build(3, 3, 8, 0, [[0, 0, 0, 0]]), "e.png")).Message);
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedFilesRaiseOnlyFormatErrors()
    {
        var rng = new Rng(9);
        var pixels = new byte[6 * 5 * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)rng.NextInt(256);
        }

        var rgb = Png.Encode(new PngImage(6, 5, PngColor.Rgb, pixels));
        var indexed = Png.EncodeIndexed(4, 2, [0, 1, 1, 0, 1, 1, 0, 0], [1, 2, 3, 4, 5, 6], [9]);
        Assert.InRange(FuzzHelper.Run(rgb, b => Png.Decode(b, "fuzz.png"), 3000, seed: 5), 1000, 3000);
        Assert.InRange(FuzzHelper.Run(indexed, b => Png.Decode(b, "fuzz.png"), 1500, seed: 6), 500, 1500);
        // With the CRCs recomputed, mutations reach the decoder proper rather than stopping at the checksum.
        Assert.InRange(FuzzHelper.Run(rgb, b => Png.Decode(FixCrcs(b), "fuzz.png"), 3000, seed: 8), 300, 3000);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    /// <summary>A PNG from hand-filtered rows (each row: filter byte, then the bytes).</summary>
    internal static byte[] Build(int width, int height, byte depth, byte colorType, byte[][] rows, byte[]? palette = null, byte interlace = 0)
    {
        var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = depth;
        ihdr[9] = colorType;
        ihdr[12] = interlace;
        Chunk(output, "IHDR", ihdr);
        if (palette is not null)
        {
            Chunk(output, "PLTE", palette);
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                zlib.Write(row);
            }
        }

        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typed));
        output.Write(word);
    }

    private static byte[] FixCrcs(byte[] bytes)
    {
        var fixedBytes = (byte[])bytes.Clone();
        int position = 8;
        while (position + 12 <= fixedBytes.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(fixedBytes.AsSpan(position));
            if (length > fixedBytes.Length - position - 12)
            {
                break;
            }

            uint crc = Crc32.Compute(fixedBytes.AsSpan(position + 4, 4 + (int)length));
            BinaryPrimitives.WriteUInt32BigEndian(fixedBytes.AsSpan(position + 8 + (int)length), crc);
            position += 12 + (int)length;
        }

        return fixedBytes;
    }
}

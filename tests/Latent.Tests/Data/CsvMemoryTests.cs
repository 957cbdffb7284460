using System.Globalization;
using System.Text;
using Latent.Data;

namespace Latent.Tests.Data;

/// <summary>CSV is parsed in one pass into float blocks: memory follows the values, not the text.</summary>
public sealed class CsvMemoryTests
{
    [Fact]
    public void ReadingAllocatesAboutTwiceTheFloats()
    {
        using var folder = new TempFolder();
        string path = folder.File("big.csv");
        const int Rows = 200_000, Columns = 5;
        var rng = new Latent.Tensors.Rng(4);
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("a,b,c,d,e,label\n");
            for (int r = 0; r < Rows; r++)
            {
                for (int c = 0; c < Columns; c++)
                {
                    writer.Write(((rng.NextDouble() * 100) - 50).ToString("F3", CultureInfo.InvariantCulture));
                    writer.Write(',');
                }

                writer.Write(r % 10);
                writer.Write('\n');
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var data = Csv.Read(path, new CsvOptions { LabelColumn = "label" });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long floats = 4L * Rows * Columns;
        Assert.Equal(Rows, data.Count);
        Assert.Equal(9, data.Labels![^1]);
        // Floats twice (blocks, then the tensor), the labels (an index per row, then the int[] labels) and
        // the line buffers; the per-row arrays and per-value strings of a naive parser cost 30 times the floats.
        Assert.InRange(allocated, floats, (2 * floats) + (16L * Rows) + (4 << 20));
    }

    [Fact]
    public void ReadingAFileEqualsParsingItsText()
    {
        using var folder = new TempFolder();
        string path = folder.File("a.csv");
        string text = "\uFEFFx;\"y \"\"q\"\"\";label\r\n1;2;b\r\n\r\n  \r\n\"3\";4e1;a\r\n5; -6 ;b";
        File.WriteAllText(path, text, new UTF8Encoding(false));
        var options = new CsvOptions { LabelColumn = "label", Delimiter = ';' };
        var read = Csv.Read(path, options);
        var parsed = Csv.Parse(text, path, options);
        Assert.Equal([1f, 2, 3, 40, 5, -6], read.Features.ToArray());
        Assert.Equal(parsed.Features.ToArray(), read.Features.ToArray());
        Assert.Equal([1, 0, 1], read.Labels!);
        Assert.Equal(["a", "b"], read.ClassNames!);
    }

    [Fact]
    public void ErrorsNameTheLineAfterManyRows()
    {
        string text = "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 5000)) + "3,x\n";
        Assert.Contains("line 5002, column 2 (b): 'x' is not a number", Assert.Throws<Latent.Serialization.DataFormatException>(() => Csv.Parse(text, "f.csv")).Message, StringComparison.Ordinal);
        text = "a,label\n" + string.Concat(Enumerable.Repeat("1,2\n", 50)) + "1,2.5\n1,-1\n";
        Assert.Contains("line 52, column 2 (label): the label '2.5' is not a non-negative integer", Assert.Throws<Latent.Serialization.DataFormatException>(() => Csv.Parse(text, "f.csv", new CsvOptions { LabelColumn = "label" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsNamed()
    {
        using var folder = new TempFolder();
        string path = folder.File("a.csv");
        File.WriteAllBytes(path, [.. "1,2\n3,"u8, 0xFF, .. "\n"u8]);
        Assert.Contains("not UTF-8", Assert.Throws<Latent.Serialization.DataFormatException>(() => Csv.Read(path)).Message, StringComparison.Ordinal);
    }
}

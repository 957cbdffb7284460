using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class CsvTests
{
    [Fact]
    public void ReadsHeaderAndLabelByName()
    {
        var data = Csv.Parse("a,species,b\n1.5,2,-3\n\n4,0,5e-1\n", "iris.csv", new CsvOptions { LabelColumn = "species" });
        Assert.Equal(2, data.Count);
        Assert.Equal(2, data.Dimension);
        Assert.Equal([1.5f, -3f, 4f, 0.5f], data.Features.ToArray());
        Assert.Equal([2, 0], data.Labels!);
    }

    [Fact]
    public void ReadsWithoutHeaderAndLabelByIndex()
    {
        var data = Csv.Parse("1;2;3\r\n4;5;6\r\n", "x.csv", new CsvOptions { LabelIndex = 0, Delimiter = ';' });
        Assert.Equal([2f, 3f, 5f, 6f], data.Features.ToArray());
        Assert.Equal([1, 4], data.Labels!);
    }

    [Fact]
    public void ErrorsNameTheLineAndColumn()
    {
        var missing = Assert.Throws<DataFormatException>(() => Csv.Parse("x,y\n1,2\n3,\n", "m.csv"));
        Assert.Equal("m.csv: line 3, column 2 (y): the value is missing.", missing.Message);
        var text = Assert.Throws<DataFormatException>(() => Csv.Parse("1,2\n3,abc\n", "t.csv", new CsvOptions { Header = CsvHeader.Absent }));
        Assert.Equal("t.csv: line 2, column 2 (column 1): 'abc' is not a number.", text.Message);
        Assert.Contains("line 2 has 3 fields", Assert.Throws<DataFormatException>(() => Csv.Parse("1,2\n3,4,5\n", "f.csv")).Message);
        Assert.Contains("no column 'z'", Assert.Throws<DataFormatException>(() => Csv.Parse("a,b\n1,2\n", "c.csv", new CsvOptions { LabelColumn = "z" })).Message);
        Assert.Contains("not a non-negative integer", Assert.Throws<DataFormatException>(() => Csv.Parse("a,b\n1,2.5\n", "l.csv", new CsvOptions { LabelColumn = "b" })).Message);
        Assert.Contains("not a number", Assert.Throws<DataFormatException>(() => Csv.Parse("a,b\n1,nan\n", "n.csv")).Message);
    }

    [Fact]
    public void RoundTripsExactly()
    {
        using var folder = new TempFolder();
        var rng = new Rng(5);
        var features = Tensor.Zeros(20, 3);
        rng.FillNormal(features.Span);
        var labels = Enumerable.Range(0, 20).Select(i => i % 4).ToArray();
        string path = folder.File("d.csv");
        Csv.Write(path, features, labels, ["p, q", "r\"s", "t"]);
        var read = Csv.Read(path, new CsvOptions { LabelColumn = "label" });
        Assert.Equal(features.ToArray(), read.Features.ToArray());
        Assert.Equal(labels, read.Labels!);
        Csv.Write(path, features, header: false);
        Assert.Equal(features.ToArray(), Csv.Read(path).Features.ToArray());
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void FuzzedTextRaisesOnlyFormatErrors()
    {
        var valid = System.Text.Encoding.UTF8.GetBytes("a,b,label\n1,2,0\n3.5,-4,1\n\"5\",6,2\n");
        int rejected = Latent.Tests.Serialization.FuzzHelper.Run(valid, b =>
        {
            using var folder = new TempFolder();
            File.WriteAllBytes(folder.File("f.csv"), b);
            Csv.Read(folder.File("f.csv"), new CsvOptions { LabelIndex = 2 });
        }, 1500, seed: 4);
        Assert.InRange(rejected, 300, 1500);
    }
}

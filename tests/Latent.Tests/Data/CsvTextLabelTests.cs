using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Data;

public sealed class CsvTextLabelTests
{
    [Fact]
    public void TextLabelsBecomeClassesNamedInOrdinalOrder()
    {
        var data = Csv.Parse("a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n7,8,\"versi, color\"\n", "iris.csv", new CsvOptions { LabelColumn = "species" });
        Assert.Equal(["setosa", "versi, color", "virginica"], data.ClassNames);
        Assert.Equal([0, 2, 0, 1], data.Labels);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], data.Features.ToArray());
    }

    [Fact]
    public void ATextLabelInTheFirstRowIsNotTakenForAHeaderWhenTheColumnIsGivenByIndex()
    {
        var data = Csv.Parse("1,2,cat\n3,4,dog\n", "pets.csv", new CsvOptions { LabelIndex = 2 });
        Assert.Equal(2, data.Count);
        Assert.Equal(["cat", "dog"], data.ClassNames);
    }

    [Fact]
    public void NumericLabelsStayNumbersWithoutNamesAndBadOnesAreStillErrors()
    {
        var data = Csv.Parse("x,label\n1,3\n2,0\n", "n.csv", new CsvOptions { LabelColumn = "label" });
        Assert.Null(data.ClassNames);
        Assert.Equal([3, 0], data.Labels);
        var exception = Assert.Throws<DataFormatException>(() => Csv.Parse("x,label\n1,3\n2,1.5\n", "n.csv", new CsvOptions { LabelColumn = "label" }));
        Assert.Contains("line 3, column 2 (label): the label '1.5' is not a non-negative integer", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesRoundTripThroughWriteAndReadAndSurviveSubsetsScalingAndSplits()
    {
        using var folder = new TempFolder();
        string path = folder.File("named.csv");
        var data = new Dataset("named", Tensor.FromArray([0f, 1f, 2f, 3f, 4f, 5f], 6, 1), [1, 0, 1, 2, 2, 0], classNames: ["ant", "bee", "cat"]);
        Csv.Write(path, data);
        Assert.Contains("\n0,bee\n", File.ReadAllText(path), StringComparison.Ordinal);
        var read = new DatasetCatalog().Load(path + ":label=label");
        Assert.Equal(data.ClassNames, read.ClassNames);
        Assert.Equal(data.Labels, read.Labels);
        Assert.Equal(data.ClassNames, read.Subset([0, 1]).ClassNames);
        Assert.Equal(data.ClassNames, read.ScaleToUnit().ClassNames);
        Assert.Equal(data.ClassNames, read.Split(0.5, 0).Train.ClassNames);
        Assert.Equal(data.ClassNames, new DatasetCatalog().Load(path + ":label=label,n=3").ClassNames);
    }

    [Fact]
    public void ClassNamesAreChecked()
    {
        var features = Tensor.Zeros(2, 1);
        Assert.Throws<ArgumentException>(() => new Dataset("d", features, null, classNames: ["a"]));
        Assert.Throws<ArgumentException>(() => new Dataset("d", features, [0, 2], classNames: ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new Dataset("d", features, [0, 1], classNames: ["a", "a"]));
    }
}

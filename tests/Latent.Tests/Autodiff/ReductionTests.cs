using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Tests.Autodiff;

public class ReductionTests
{
    public static TheoryData<string> Kinds() => ["sum", "mean", "rowSums", "rowMeans", "columnSums", "columnMeans"];

    private static Var Apply(string kind, Var x) => kind switch
    {
        "sum" => x.Sum(),
        "mean" => x.Mean(),
        "rowSums" => x.RowSums(),
        "rowMeans" => x.RowMeans(),
        "columnSums" => x.ColumnSums(),
        _ => x.ColumnMeans(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardMatchesNaiveSums(string kind)
    {
        // Rank 3: reductions see [2, 3, 4] as 2 rows of 12 columns.
        var x = GradCheck.Random(new Rng(10), -1, 1, 2, 3, 4);
        var tape = new Tape();
        var y = Apply(kind, tape.Input(x));
        int rows = 2, columns = 12;
        double[] expected = kind switch
        {
            "sum" => [x.ToArray().Sum(v => (double)v)],
            "mean" => [x.ToArray().Sum(v => (double)v) / 24],
            "rowSums" or "rowMeans" => Enumerable.Range(0, rows)
                .Select(i => Enumerable.Range(0, columns).Sum(j => (double)x[i, j]) / (kind == "rowMeans" ? columns : 1)).ToArray(),
            _ => Enumerable.Range(0, columns)
                .Select(j => Enumerable.Range(0, rows).Sum(i => (double)x[i, j]) / (kind == "columnMeans" ? rows : 1)).ToArray(),
        };
        Assert.Equal(1, y.Value.Rank);
        Expect.Close(expected, y.Value.Span);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientsMatchFiniteDifferences(string kind)
    {
        var x = GradCheck.Random(new Rng(11), -1, 1, 3, 5);
        GradCheck.Check(v => Apply(kind, v[0]), [x]);
    }

    [Fact]
    public void SumOfManyElementsIsAccurate()
    {
        // 10⁶ copies of 0.1 sum to 10⁵; a float running sum would drift by far more than this tolerance.
        var x = Tensor.Zeros(1000, 1000);
        x.Fill(0.1f);
        var tape = new Tape();
        Assert.Equal(100000.0, tape.Input(x).Sum().Item, 0.5);
    }
}

using Latent.Classical;
using Latent.Tensors;

namespace Latent.Tests.Classical;

[Trait("Category", "Kernels")]
public class KMeansTests
{
    private static readonly double[,] s_trueCentres = { { 0, 0, 0 }, { 6, 0, 1 }, { 0, 7, -2 }, { 5, 5, 5 } };

    [Fact]
    public void RecoversBlobCentresAndMemberships()
    {
        Tensor x = ClassicalTestData.Blobs(s_trueCentres, 60, 0.4, 1);
        var model = new KMeansOptions { Clusters = 4, Restarts = 3, Seed = 2 }.Fit(x);
        using Tensor centres = model.Centres;
        var match = new int[4];
        for (int truth = 0; truth < 4; truth++)
        {
            match[truth] = Enumerable.Range(0, 4).MinBy(j => Distance2(centres.Row(j), truth));
            Assert.True(Math.Sqrt(Distance2(centres.Row(match[truth]), truth)) < 0.2);
        }

        Assert.Equal(4, match.Distinct().Count());
        for (int i = 0; i < x.Rows; i++)
        {
            Assert.Equal(match[i % 4], model.Labels[i]);
        }

        // The inertia is the naive sum of squared distances to the assigned centres, which are the cluster means.
        double inertia = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                double diff = x[i, c] - centres[model.Labels[i], c];
                inertia += diff * diff;
            }
        }

        Assert.Equal(inertia, model.Inertia, 1e-6 * inertia);
        for (int j = 0; j < 4; j++)
        {
            for (int c = 0; c < 3; c++)
            {
                double mean = Enumerable.Range(0, x.Rows).Where(i => model.Labels[i] == j).Average(i => x[i, c]);
                Assert.Equal(mean, centres[j, c], 1e-4);
            }
        }

        Assert.True(model.Converged);
    }

    [Fact]
    public void PredictAndTransformMatchNaiveDistances()
    {
        Tensor x = ClassicalTestData.Blobs(s_trueCentres, 30, 1.5, 3);
        var model = new KMeansOptions { Clusters = 4, Seed = 1 }.Fit(x);
        Tensor queries = ClassicalTestData.Blobs(s_trueCentres, 5, 2.0, 4);
        int[] labels = model.Predict(queries);
        using Tensor distances = model.Transform(queries);
        using Tensor centres = model.Centres;
        double inertia = 0;
        for (int i = 0; i < queries.Rows; i++)
        {
            var naive = new double[4];
            for (int j = 0; j < 4; j++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double diff = queries[i, c] - centres[j, c];
                    naive[j] += diff * diff;
                }

                Assert.Equal(Math.Sqrt(naive[j]), distances[i, j], 1e-4);
            }

            Assert.Equal(Array.IndexOf(naive, naive.Min()), labels[i]);
            inertia += naive.Min();
        }

        Assert.Equal(-inertia, model.Score(queries), 1e-5 * inertia);
    }

    [Fact]
    public void HistoryInertiaNeverIncreasesAndRestartsOnlyHelp()
    {
        Tensor x = ClassicalTestData.Blobs(new double[,] { { 0, 0 }, { 3, 0 }, { 0, 3 }, { 3, 3 }, { 1.5, 1.5 } }, 40, 0.9, 5);
        var one = new KMeansOptions { Clusters = 5, Init = KMeansInit.Random, RecordHistory = true, Seed = 9 }.Fit(x);
        Assert.Equal(one.Iterations, one.History.Count);
        for (int i = 1; i < one.History.Count; i++)
        {
            Assert.True(one.History[i].Inertia <= one.History[i - 1].Inertia * (1 + 1e-6));
        }

        Assert.True(one.History[^1].Inertia >= one.Inertia * (1 - 1e-6));
        var many = new KMeansOptions { Clusters = 5, Init = KMeansInit.Random, Restarts = 8, Seed = 9 }.Fit(x);
        Assert.True(many.Inertia <= one.Inertia);
        var again = new KMeansOptions { Clusters = 5, Init = KMeansInit.Random, Restarts = 8, Seed = 9 }.Fit(x);
        Assert.Equal(many.Inertia, again.Inertia);
        Assert.Equal(many.Labels, again.Labels);
    }

    [Fact]
    public void EmptyClustersAreReseeded()
    {
        // Six copies each of two points and one outlier: a random start often picks two equal centres, which
        // leaves a cluster empty; re-seeding it from the farthest sample still finds the three groups exactly.
        var rows = new List<float[]>();
        for (int i = 0; i < 6; i++)
        {
            rows.Add([0, 0]);
            rows.Add([10, 0]);
        }

        rows.Add([0, 10]);
        var values = new float[rows.Count, 2];
        for (int i = 0; i < rows.Count; i++)
        {
            (values[i, 0], values[i, 1]) = (rows[i][0], rows[i][1]);
        }

        var x = Tensor.FromRows(values);
        int emptyStarts = 0;
        for (ulong seed = 0; seed < 12; seed++)
        {
            var model = new KMeansOptions { Clusters = 3, Init = KMeansInit.Random, RecordHistory = true, Seed = seed }.Fit(x);
            Assert.Equal(0, model.Inertia, 1e-9);
            Assert.Equal(3, model.Labels.Distinct().Count());
            if (model.History[0].Labels.Distinct().Count() < 3)
            {
                emptyStarts++;
            }
        }

        Assert.True(emptyStarts > 0, "no seed left a cluster empty, so the re-seeding was not exercised");
    }

    [Fact]
    public void ClearErrors()
    {
        var x = Tensor.Zeros(3, 2);
        Assert.Contains("4 clusters", Assert.Throws<ArgumentException>(() => new KMeansOptions { Clusters = 4 }.Fit(x)).Message);
        x[1, 0] = float.PositiveInfinity;
        Assert.Contains("row 1, column 0", Assert.Throws<ArgumentException>(() => new KMeansOptions { Clusters = 2 }.Fit(x)).Message);
    }

    private static double Distance2(ReadOnlySpan<float> centre, int truth)
    {
        double s = 0;
        for (int c = 0; c < centre.Length; c++)
        {
            double diff = centre[c] - s_trueCentres[truth, c];
            s += diff * diff;
        }

        return s;
    }
}

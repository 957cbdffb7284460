using Latent.Models;
using Latent.Nn;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Models;

public class LinearAutoencoderTests
{
    [Fact]
    public void LearnsThePrincipalSubspace()
    {
        const int K = 3;
        var data = ModelTestData.Digits;
        var model = new Autoencoder(ModelTestData.Small("linear-ae", o => o with { Latent = K }));
        ModelTestData.Train(model, data, epochs: 200, batch: 64, learningRate: 1e-2f, schedule: "cosine");

        // The decoder's columns span the learnt subspace; PCA's is spanned by the top eigenvectors of the covariance.
        var weight = ((Linear)model.Decoder[0]).Weight.Value;
        var decoder = Matrix<double>.Build.Dense(64, K, (i, j) => weight[i, j]);
        var x = Matrix<double>.Build.Dense(data.Rows, 64, (i, j) => data[i, j]);
        var mean = x.ColumnSums() / data.Rows;
        var centred = x - Matrix<double>.Build.Dense(data.Rows, 64, (i, j) => mean[j]);
        var evd = (centred.TransposeThisAndMultiply(centred) / (data.Rows - 1)).Evd(Symmetricity.Symmetric);
        var pca = evd.EigenVectors.SubMatrix(0, 64, 64 - K, K);
        var learnt = decoder.QR().Q.SubMatrix(0, 64, 0, K);
        var cosines = learnt.TransposeThisAndMultiply(pca).Svd().S;
        double largestAngle = Math.Acos(Math.Min(1, cosines.Minimum())) * 180 / Math.PI;
        Assert.True(largestAngle < 2, $"largest principal angle {largestAngle:F2}°");
    }
}

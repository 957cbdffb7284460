using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Optim;

public class AdamKernelTests
{
    // The one-pass update against the three-pass scalar reference (m, then v, then θ) for every length 0..100,
    // so the vector bodies of every width and every tail are covered; the two agree bit for bit.
    [Fact]
    [Trait("Category", "Kernels")]
    public void OnePassEqualsTheThreePassReferenceForEveryLength()
    {
        const float beta1 = 0.9f, beta2 = 0.999f, decay = 0.01f, shrink = 0.9999f, stepSize = 1.3e-3f, correction2 = 0.05f, epsilon = 1e-8f;
        var rng = new Rng(7);
        for (int n = 0; n <= 100; n++)
        {
            var theta = new float[n];
            var m = new float[n];
            var v = new float[n];
            var g = new float[n];
            rng.FillNormal(theta);
            rng.FillNormal(m, 0f, 0.1f);
            rng.FillUniform(v, 0f, 0.01f);
            rng.FillNormal(g);
            float[] thetaRef = [.. theta], mRef = [.. m], vRef = [.. v];
            for (int i = 0; i < n; i++)
            {
                float d = g[i] + (decay * thetaRef[i]);
                mRef[i] = (mRef[i] * beta1) + ((1f - beta1) * d);
            }

            for (int i = 0; i < n; i++)
            {
                float d = g[i] + (decay * thetaRef[i]);
                vRef[i] = (vRef[i] * beta2) + ((1f - beta2) * d * d);
            }

            for (int i = 0; i < n; i++)
            {
                thetaRef[i] = (thetaRef[i] * shrink) - (stepSize * (mRef[i] / ((MathF.Sqrt(vRef[i]) / correction2) + epsilon)));
            }

            AdamKernel.Update(theta, m, v, g, beta1, beta2, decay, shrink, stepSize, correction2, epsilon);
            Assert.Equal(mRef, m);
            Assert.Equal(vRef, v);
            Assert.Equal(thetaRef, theta);
        }
    }

    [Fact]
    public void RejectsMismatchedLengths() =>
        Assert.Throws<ArgumentException>(() => AdamKernel.Update(new float[4], new float[4], new float[3], new float[4], 0.9f, 0.999f, 0f, 1f, 1e-3f, 1f, 1e-8f));
}

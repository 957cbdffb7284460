using Latent.Optim;
using Latent.Tensors;

namespace Latent.Tests.Optim;

public class AdamKernelTests
{
    // A parameter whose gradient stays 0 has moments that decay geometrically; in every vector width and tail they
    // go from normal floats straight to 0, never through the subnormals that are up to 100× slower on x86.
    [Fact]
    [Trait("Category", "Kernels")]
    public void MomentsOfAZeroGradientFlushToZeroInsteadOfTurningSubnormal()
    {
        float smallestNormal = BitConverter.Int32BitsToSingle(0x00800000);
        for (int n = 1; n <= 67; n += 11)
        {
            var theta = new float[n];
            var m = Enumerable.Repeat(1e-33f, n).ToArray();
            var v = Enumerable.Repeat(1e-33f, n).ToArray();
            var g = new float[n];
            bool reachedZero = false;
            // v decays by β₂ = 0.999 a step: from 1e-33 below 1.2e-38 takes about 11,300 steps.
            for (int step = 0; step < 20_000 && !reachedZero; step++)
            {
                AdamKernel.Update(theta, m, v, g, 0.9f, 0.999f, 0f, 1f, 1e-3f, 1f, 1e-8f);
                reachedZero = true;
                for (int i = 0; i < n; i++)
                {
                    foreach (float x in (ReadOnlySpan<float>)[m[i], v[i]])
                    {
                        Assert.True(x == 0f || Math.Abs(x) >= smallestNormal, $"subnormal moment {x:E3} at step {step}, length {n}");
                        reachedZero &= x == 0f;
                    }
                }
            }

            Assert.True(reachedZero, $"length {n}: the moments never reached 0");
            float[] settled = [.. theta];
            AdamKernel.Update(theta, m, v, g, 0.9f, 0.999f, 0f, 1f, 1e-3f, 1f, 1e-8f);
            Assert.Equal(settled, theta);
        }
    }

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

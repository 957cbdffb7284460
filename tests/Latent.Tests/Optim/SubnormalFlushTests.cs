using Latent.Optim;

namespace Latent.Tests.Optim;

/// <summary>The optimizers' running averages go from normal floats straight to 0, never through the slow subnormals.</summary>
public class SubnormalFlushTests
{
    // A parameter whose gradient stays 0 has moments that decay geometrically; in every vector width and tail they
    // go from normal floats straight to 0, never through the subnormals that are up to 100× slower on x86.
    [Fact]
    [Trait("Category", "Kernels")]
    public void AdamMomentsOfAZeroGradientFlushToZeroInsteadOfTurningSubnormal()
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

    // RMSprop's mean square, centred average and momentum buffer flush the same way, in every width and tail.
    [Fact]
    [Trait("Category", "Kernels")]
    public void RmsPropAveragesOfAZeroGradientFlushToZero()
    {
        float smallestNormal = BitConverter.Int32BitsToSingle(0x00800000);
        for (int n = 1; n <= 67; n += 11)
        {
            var theta = new float[n];
            float[] v = Enumerable.Repeat(1e-33f, n).ToArray(), a = Enumerable.Repeat(1e-36f, n).ToArray(), b = Enumerable.Repeat(1e-33f, n).ToArray();
            var g = new float[n];
            bool reachedZero = false;

            // α = 0.99: from 1e-33 below 1.2e-38 takes about 1,130 steps.
            for (int step = 0; step < 5_000 && !reachedZero; step++)
            {
                RmsPropKernel.Update(theta, v, a, b, g, alpha: 0.99f, decay: 0f, momentum: 0.9f, learningRate: 1e-2f, epsilon: 1e-8f, centered: true);
                reachedZero = true;
                for (int i = 0; i < n; i++)
                {
                    foreach (float x in (ReadOnlySpan<float>)[v[i], a[i], b[i]])
                    {
                        Assert.True(x == 0f || Math.Abs(x) >= smallestNormal, $"subnormal average {x:E3} at step {step}, length {n}");
                        reachedZero &= x == 0f;
                    }
                }
            }

            Assert.True(reachedZero, $"length {n}: the averages never reached 0");
        }
    }
}

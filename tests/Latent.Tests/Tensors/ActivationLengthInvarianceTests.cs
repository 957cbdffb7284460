using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class ActivationLengthInvarianceTests
{
    [Theory]
    [Trait("Category", "Kernels")]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    public void EachElementIsRoundedTheSameWhateverTheSpanLength(Activation activation)
    {
        // A fused linear layer applies the activation to GEMM tiles, a separate op to the whole tensor: the two
        // agree only if an element's result does not depend on the length of the span it sits in.
        var rng = new Rng(12);
        var x = new float[4096];
        rng.FillNormal(x, 0f, 4f);
        float[] whole = (float[])x.Clone();
        ActivationKernels.Apply(activation, whole, 0.1f);
        for (int length = 1; length <= 40; length++)
        {
            for (int start = 0; start + length <= x.Length; start += length * 7)
            {
                float[] piece = x.AsSpan(start, length).ToArray();
                ActivationKernels.Apply(activation, piece, 0.1f);
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(whole[start + i]), BitConverter.SingleToInt32Bits(piece[i]));
                }
            }
        }

        float[] empty = [];
        ActivationKernels.Apply(activation, empty);
    }
}

using Latent.Autodiff;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Models;

namespace Latent.Tests.Training;

/// <summary>A model keeps no per-call scratch, so two tapes may use it in turn.</summary>
public class ModelSharingTests
{
    [Theory]
    [InlineData("denoising-ae")]
    [InlineData("infovae")]
    public void TwoTapesInterleavedGiveWhatEachGivesAlone(string preset)
    {
        var model = new Autoencoder(ModelTestData.Small(preset));
        var a = ModelTestData.Rows(ModelTestData.Digits, 0, 20);
        var b = ModelTestData.Rows(ModelTestData.Digits, 20, 20);
        float[][] Gradients()
        {
            float[][] gradients = [.. model.ParameterVars().Select(p => p.HasGrad ? p.Grad!.ToArray() : [])];
            foreach (var parameter in model.ParameterVars())
            {
                parameter.ZeroGrad();
            }

            return gradients;
        }

        float[][] alone;
        using (var tape = new Tape())
        {
            tape.Backward(model.Loss(tape, a, new Rng(1)).Loss);
            alone = Gradients();
        }

        // The second caller's forward pass comes between the first's forward and backward passes.
        using var first = new Tape();
        using var second = new Tape();
        var loss = model.Loss(first, a, new Rng(1));
        model.Loss(second, b, new Rng(2));
        first.Backward(loss.Loss);
        Assert.Equal(alone, Gradients());

        int created = first.Pool.Created;
        first.Reset();
        model.Loss(first, a, new Rng(1));
        Assert.Equal(created, first.Pool.Created);
    }
}

using Latent.Autodiff;
using Latent.Models;
using Latent.Tensors;
using Latent.Tests.Autodiff;

namespace Latent.Tests.Adversarial;

/// <summary>
/// The discriminator's and the generator's losses differentiate correctly: their gradients for every parameter agree
/// with central finite differences on tiny networks, flat and convolutional (batch norm, leaky ReLU), with and without
/// InfoGAN's codes, and reach only the parameters each loss trains.
/// </summary>
public sealed class AdversarialGradientTests
{
    private const int Batch = 5;

    public static TheoryData<string> Networks() => ["flat", "conv", "infogan-flat", "infogan-conv"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheDiscriminatorLossGradientMatchesFiniteDifferencesAndLeavesTheGeneratorAlone(string kind)
    {
        var network = new AdversarialNetwork(Options(kind));
        (var real, var z) = Inputs(network, seed: 3);
        var fake = network.Generate(z);
        network.Train();
        ParameterGradCheck.Check(
            network,
            tape => network.DiscriminatorLoss(tape.Input(real), tape.Input(fake), tape.Input(z)).Loss,
            ParameterGradCheck.Named(network, "discriminator.", "critic.", "recognition."),
            untouched: ParameterGradCheck.Named(network, "generator."));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheGeneratorLossGradientMatchesFiniteDifferencesThroughBothNetworks(string kind)
    {
        var network = new AdversarialNetwork(Options(kind));
        (_, var z) = Inputs(network, seed: 4);
        network.Train();
        ParameterGradCheck.Check(
            network,
            tape =>
            {
                var codes = tape.Input(z);
                return network.GeneratorLoss(network.GenerateVar(codes), codes).Loss;
            },
            ParameterGradCheck.Named(network, "generator.", "discriminator.", "critic.", "recognition."));
    }

    [Fact]
    public void TheInformationTermAloneSendsGradientToTheRecognitionHeadAndTheGeneratorButNotTheCritic()
    {
        // With the critic's weights at zero its logit is a constant: the adversarial part's gradient into the
        // discriminator body and generator vanishes, and whatever reaches them is the information term's.
        var network = new AdversarialNetwork(Options("infogan-conv"));
        network.Critic.Weight.Value.Fill(0f);
        (_, var z) = Inputs(network, seed: 5);
        network.Train();
        Func<Tape, Var> loss = tape =>
        {
            var codes = tape.Input(z);
            return network.GeneratorLoss(network.GenerateVar(codes), codes).Loss;
        };
        ParameterGradCheck.Check(network, loss, ParameterGradCheck.Named(network, "generator.", "recognition.", "discriminator."));

        var noInformation = new AdversarialNetwork(Options("infogan-conv") with { InfoWeight = 0f });
        noInformation.Critic.Weight.Value.Fill(0f);
        noInformation.Train();
        var gradients = ParameterGradCheck.Analytic(noInformation, tape =>
        {
            var codes = tape.Input(z);
            return noInformation.GeneratorLoss(noInformation.GenerateVar(codes), codes).Loss;
        });
        Assert.All(gradients.Where(g => g.Key.StartsWith("generator.", StringComparison.Ordinal) && g.Key.EndsWith("weight", StringComparison.Ordinal)), g => Assert.True(g.Value is null || g.Value.All(v => v == 0f), $"{g.Key} moves without the information term"));
        Assert.All(gradients.Where(g => g.Key.StartsWith("recognition.", StringComparison.Ordinal)), g => Assert.True(g.Value is null || g.Value.All(v => v == 0f), $"{g.Key} moves with λ = 0"));
    }

    [Theory]
    [InlineData("conv")]
    [InlineData("infogan-conv")]
    public void TwoRunsOfTheDiscriminatorOnOneTapeGetTheSumOfTheirGradients(string kind)
    {
        // The discriminator's loss runs the discriminator (with batch norm) on the real and the generated items on one
        // tape: the gradient must be that of each run on its own tape, added.
        var network = new AdversarialNetwork(Options(kind));
        (var real, var z) = Inputs(network, seed: 6);
        var fake = network.Generate(z);
        network.Train();
        var together = ParameterGradCheck.Analytic(network, tape => Ops.Add(network.Forward(tape.Input(real)).Sum(), network.Forward(tape.Input(fake)).Sum()));
        var first = ParameterGradCheck.Analytic(network, tape => network.Forward(tape.Input(real)).Sum());
        var second = ParameterGradCheck.Analytic(network, tape => network.Forward(tape.Input(fake)).Sum());
        foreach ((string name, float[]? gradient) in together.Where(g => g.Value is not null))
        {
            for (int k = 0; k < gradient!.Length; k++)
            {
                float expected = first[name]![k] + second[name]![k];
                Assert.True(Math.Abs(gradient[k] - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"{name}[{k}]: {gradient[k]} together, {expected} apart");
            }
        }
    }

    /// <summary>Tiny networks: 6 flat features, or a 1×4×4 image from a deconvolution and read by a convolution with batch norm.</summary>
    internal static AdversarialOptions Options(string kind) => kind switch
    {
        "flat" => new AdversarialOptions
        {
            Preset = "gan",
            Inputs = 6,
            Noise = 3,
            Generator = "fc5:leaky-relu0.2,fc6:sigmoid",
            Discriminator = "fc5:leaky-relu0.2,fc4:tanh",
            LabelSmoothing = 0.1f,
            Seed = 7,
        },
        "conv" => new AdversarialOptions
        {
            Preset = "dcgan",
            Inputs = 16,
            InputShape = new ImageShape(1, 4, 4),
            Noise = 4,
            Generator = "fc8:none,bn:relu,unflatten2x2x2,deconv1k4s2p1:sigmoid",
            Discriminator = "conv3k3s2p1:leaky-relu0.2,conv4k3s1p1:none,bn:leaky-relu0.2,flatten",
            Seed = 8,
        },
        "infogan-flat" => Options("flat") with { Preset = "infogan", Noise = 2, ContinuousCodes = 2, CategoricalCodes = [3], Recognition = "fc5:leaky-relu0.2", InfoWeight = 0.7f },
        "infogan-conv" => Options("conv") with { Preset = "infogan", Noise = 2, ContinuousCodes = 2, CategoricalCodes = [3], Recognition = "fc6:none,bn:leaky-relu0.2", InfoWeight = 1.5f },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static (Tensor Real, Tensor Z) Inputs(AdversarialNetwork network, ulong seed)
    {
        var rng = new Rng(seed);
        var real = GradCheck.Random(rng, 0f, 1f, Batch, network.Inputs);
        var z = network.DrawLatent(Batch, seed + 100);
        return (real, z);
    }
}

using Latent.Autodiff;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void AStateDictWithThousandsOfUnexpectedNamesGetsAMessageOfAFewLines()
    {
        var model = new Sequential(new Linear(2, 3, new Rng(1)));
        var state = model.StateDict().ToDictionary(p => p.Key, p => p.Value);
        for (int i = 0; i < 200_000; i++)
        {
            state["junk." + i] = state["0.bias"];
        }

        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("unexpected 'junk.0'; unexpected 'junk.1'", error.Message);
        Assert.Contains("; and 199995 more.", error.Message);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Fact]
    public void ParametersHaveDottedPyTorchNamesInRegistrationOrder()
    {
        var model = new AutoencoderLike(new Rng(1));
        string[] expected =
        [
            "scale",
            "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
            "decoder.0.weight", "decoder.1.weight", "decoder.1.bias",
        ];
        Assert.Equal(expected, model.Parameters().Select(p => p.Name));
        Assert.Equal(expected, model.StateDict().Keys);
        Assert.Equal(model.Parameters().Select(p => p.Parameter), model.ParameterVars());
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.Encoder.Parameters().Select(p => p.Name));
        Assert.Equal([4, 3], model.StateDict()["encoder.0.weight"].Shape);
        Assert.Same(model.Encoder[0].Parameters().First().Parameter.Value, model.StateDict()["encoder.0.weight"]);
    }

    [Fact]
    public void TrainAndEvalReachEverySubModule()
    {
        var model = new AutoencoderLike(new Rng(1));
        Assert.True(model.Training);
        model.Eval();
        Assert.False(model.Training);
        Assert.False(model.Encoder.Training);
        Assert.False(model.Encoder[1].Training);
        Assert.False(model.Decoder[2].Training);
        model.Train();
        Assert.True(model.Decoder[2].Training);
        Assert.True(model.Encoder[2].Training);
    }

    [Fact]
    public void StateDictRoundTripsIntoAFreshModel()
    {
        var source = new AutoencoderLike(new Rng(1));
        var target = new AutoencoderLike(new Rng(2));
        Assert.NotEqual(source.StateDict()["encoder.0.weight"].ToArray(), target.StateDict()["encoder.0.weight"].ToArray());
        var snapshot = source.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.Clone());
        target.LoadStateDict(snapshot);
        foreach ((string name, Tensor value) in source.StateDict())
        {
            Assert.Equal(value.ToArray(), target.StateDict()[name].ToArray());
        }

        // The load copied: changing the dictionary afterwards does not reach the model.
        snapshot["scale"].Fill(42f);
        Assert.NotEqual(42f, target.StateDict()["scale"][0]);

        source.Eval();
        target.Eval();
        using var tape = new Tape();
        var x = tape.Input(Tensor.FromArray([0.1f, -0.2f, 0.3f, 1f, 2f, 3f], 2, 3));
        Assert.Equal(source.Forward(x).Value.ToArray(), target.Forward(x).Value.ToArray());
    }

    [Fact]
    public void MismatchedStateDictNamesTheTensorAndBothShapesAndLoadsNothing()
    {
        var model = new AutoencoderLike(new Rng(1));
        var before = model.StateDict()["decoder.0.weight"].ToArray();
        var state = model.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.Clone());
        state["decoder.0.weight"].Fill(7f);
        state["encoder.2.weight"] = Tensor.Zeros(5, 4);
        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("'encoder.2.weight' has shape [5, 4] in the state dict but [2, 4] in the model", error.Message);
        Assert.Equal(before, model.StateDict()["decoder.0.weight"].ToArray());

        state = model.StateDict().ToDictionary(entry => entry.Key, entry => entry.Value.Clone());
        state.Remove("encoder.0.bias");
        state.Add("encoder.1.weight", Tensor.Zeros(1));
        error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("missing 'encoder.0.bias' (shape [4])", error.Message);
        Assert.Contains("unexpected 'encoder.1.weight'", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ZeroGradClearsEveryParameter()
    {
        var model = new AutoencoderLike(new Rng(1));
        using var tape = new Tape { Noise = new Rng(2) };
        var x = tape.Input(Tensor.FromArray([0.1f, -0.2f, 0.3f], 1, 3));
        tape.Backward(Ops.MeanSquaredError(model.Forward(x), x));
        Assert.False(model.Scale.HasGrad);
        Assert.All(model.ParameterVars().Skip(1), p => Assert.True(p.HasGrad));
        model.ZeroGrad();
        Assert.All(model.ParameterVars(), p => Assert.False(p.HasGrad));
    }

    [Fact]
    public void NamesMustBeUniqueAndDotless()
    {
        Assert.Throws<ArgumentException>(() => new BadlyNamed("a.b"));
        Assert.Throws<ArgumentException>(() => new BadlyNamed("twice"));
    }

    [Fact]
    public void ToStringShowsTheTree()
    {
        string text = new Sequential(new Linear(2, 3, new Rng(1)), new Relu()).ToString();
        Assert.Contains("(0): Linear(in=2, out=3, bias=True)", text);
        Assert.Contains("(1): Relu()", text);
    }

    /// <summary>A small module with a parameter of its own and two Sequential children, as an autoencoder has.</summary>
    private sealed class AutoencoderLike : Module
    {
        public AutoencoderLike(Rng rng)
        {
            Scale = RegisterParameter("scale", Tensor.FromArray([1f], 1));
            Encoder = RegisterModule("encoder", new Sequential(new Linear(3, 4, rng), new Tanh(), new Linear(4, 2, rng)));
            Decoder = RegisterModule("decoder", new Sequential(new Linear(2, 4, rng, bias: false), new Linear(4, 3, rng), new Dropout(0.5f)));
        }

        public Var Scale { get; }

        public Sequential Encoder { get; }

        public Sequential Decoder { get; }

        // Scale stays unused: the test needs a parameter that receives no gradient.
        public override Var Forward(Var x) => Decoder.Forward(Encoder.Forward(x));
    }

    private sealed class BadlyNamed : Module
    {
        public BadlyNamed(string name)
        {
            RegisterParameter("twice", Tensor.Zeros(1));
            RegisterParameter(name, Tensor.Zeros(1));
        }

        public override Var Forward(Var x) => x;
    }
}

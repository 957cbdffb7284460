using Latent.Autodiff;
using Latent.Nn;
using Latent.Optim;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public class BufferTests
{
    private static readonly string[] s_stateNames =
    [
        "scale", "steps",
        "body.0.weight", "body.0.bias",
        "body.1.weight", "body.1.running_mean", "body.1.running_var", "body.1.num_batches_tracked",
        "body.3.weight", "body.3.bias",
    ];

    [Fact]
    public void StateDictHoldsParametersThenBuffersOfEachModuleThenItsChildren()
    {
        var model = new ModelLike(new Rng(1));
        Assert.Equal(s_stateNames, model.StateDict().Keys);
        Assert.Equal(["steps", "body.1.running_mean", "body.1.running_var", "body.1.num_batches_tracked"], model.Buffers().Select(b => b.Name));
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], model.Body.Buffers().Select(b => b.Name));
        Assert.Same(model.Tracker.RunningMean, model.StateDict()["body.1.running_mean"]);
        Assert.Same(model.Tracker.RunningMean, model.Buffers().Single(b => b.Name == "body.1.running_mean").Buffer);
        Assert.Equal([3], model.StateDict()["body.1.running_mean"].Shape);

        // num_batches_tracked is an int64 scalar in PyTorch; here a one-element float32 tensor (exact up to 2^24).
        Assert.Equal([1], model.StateDict()["body.1.num_batches_tracked"].Shape);
    }

    [Fact]
    public void BuffersAreNotParametersSoOptimizersNeverSeeThem()
    {
        var model = new ModelLike(new Rng(1));
        Assert.Equal(["scale", "body.0.weight", "body.0.bias", "body.1.weight", "body.3.weight", "body.3.bias"], model.Parameters().Select(p => p.Name));
        var buffers = model.Buffers().Select(b => b.Buffer).ToList();
        Assert.DoesNotContain(model.ParameterVars(), p => buffers.Any(b => ReferenceEquals(b, p.Value)));

        // A training step moves the parameters and the running statistics, and the optimizer leaves the
        // statistics where the module put them.
        var optimizer = new Adam(model.ParameterVars(), learningRate: 0.1f);
        using var tape = new Tape();
        var x = tape.Input(Batch(new Rng(3)));
        tape.Backward(Ops.MeanSquaredError(model.Forward(x), x));
        float[] statistics = model.Tracker.RunningMean.ToArray();
        float[] weight = model.Tracker.Weight.Value.ToArray();
        optimizer.Step();
        Assert.Equal(statistics, model.Tracker.RunningMean.ToArray());
        Assert.NotEqual(weight, model.Tracker.Weight.Value.ToArray());
    }

    [Fact]
    public void TheModuleUpdatesItsBuffersOnlyInTraining()
    {
        var model = new ModelLike(new Rng(1));
        using var tape = new Tape { GradEnabled = false };
        var batch = Batch(new Rng(4));
        model.Forward(tape.Input(batch));
        model.Forward(tape.Input(batch));
        Assert.Equal(2f, model.Tracker.NumBatchesTracked[0]);
        Assert.Equal(2f, model.Steps[0]);
        Assert.Contains(model.Tracker.RunningMean.ToArray(), v => v != 0f);

        model.Eval();
        float[] before = [.. model.Buffers().SelectMany(b => b.Buffer.ToArray())];
        model.Forward(tape.Input(batch));
        Assert.Equal(before, model.Buffers().SelectMany(b => b.Buffer.ToArray()));
        model.Train();
        model.Forward(tape.Input(batch));
        Assert.Equal(3f, model.Tracker.NumBatchesTracked[0]);
    }

    [Fact]
    public void BuffersRoundTripThroughASafeTensorsFile()
    {
        var source = Trained(new ModelLike(new Rng(1)), steps: 3);
        var target = new ModelLike(new Rng(2));
        Assert.NotEqual(source.Tracker.RunningVar.ToArray(), target.Tracker.RunningVar.ToArray());
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, source.StateDict());
        var file = SafeTensors.Read(path);
        Assert.Equal(s_stateNames.Order(StringComparer.Ordinal), file.Tensors.Keys.Order(StringComparer.Ordinal));

        target.LoadStateDict(file.Tensors);
        foreach ((string name, Tensor value) in source.StateDict())
        {
            Assert.Equal(value.Shape, target.StateDict()[name].Shape);
            Assert.Equal(value.ToArray(), target.StateDict()[name].ToArray());
        }

        Assert.Equal(3f, target.Tracker.NumBatchesTracked[0]);
        Assert.Equal(3f, target.Steps[0]);

        // The loaded model computes what the saved one does, in evaluation (which reads the running statistics).
        source.Eval();
        target.Eval();
        using var tape = new Tape();
        var x = tape.Input(Batch(new Rng(9)));
        Assert.Equal(source.Forward(x).Value.ToArray(), target.Forward(x).Value.ToArray());
    }

    [Fact]
    public void BuffersRoundTripUnderAPrefixAsCheckpointsStoreThem()
    {
        // A checkpoint stores model.StateDict() under "model." beside other tensors and loads the model back from
        // the entries with that prefix (Checkpoint.Save and ModelFile.FromTensors).
        var source = Trained(new ModelLike(new Rng(1)), steps: 2);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["optimizer.step"] = Tensor.FromArray([5f], 1) };
        foreach ((string name, Tensor value) in source.StateDict())
        {
            tensors["model." + name] = value;
        }

        var file = SafeTensors.Parse(SafeTensors.Serialize(tensors), "checkpoint.safetensors");
        var state = file.Tensors.Where(t => t.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(t => t.Key["model.".Length..], t => t.Value);
        var target = new ModelLike(new Rng(2));
        target.LoadStateDict(state);
        Assert.Equal(source.Buffers().Select(b => b.Buffer.ToArray()), target.Buffers().Select(b => b.Buffer.ToArray()));
    }

    [Fact]
    public void LoadingChecksBuffersAndLoadsNothingOnAMismatch()
    {
        var model = new ModelLike(new Rng(1));
        var state = Trained(new ModelLike(new Rng(2)), steps: 1).StateDict().ToDictionary(e => e.Key, e => e.Value.Clone());
        state.Remove("body.1.running_var");
        state["steps"] = Tensor.Zeros(2);
        float[] weight = model.Body.Parameters().First().Parameter.Value.ToArray();
        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("missing 'body.1.running_var' (shape [3])", error.Message, StringComparison.Ordinal);
        Assert.Contains("'steps' has shape [2] in the state dict but [1] in the model", error.Message, StringComparison.Ordinal);
        Assert.Equal(weight, model.Body.Parameters().First().Parameter.Value.ToArray());
        Assert.Equal(0f, model.Tracker.NumBatchesTracked[0]);
    }

    [Fact]
    public void BufferNamesShareTheModulesNamespace()
    {
        Assert.Throws<ArgumentException>(() => new Named("weight", "weight"));
        Assert.Throws<ArgumentException>(() => new Named("weight", "running.mean"));
        Assert.Throws<ArgumentException>(() => new Named("weight", ""));
        Assert.Equal(["weight", "mean"], new Named("weight", "mean").StateDict().Keys);
    }

    private static Tensor Batch(Rng rng)
    {
        var batch = Tensor.Zeros(5, 3);
        rng.FillNormal(batch.Span, 1f, 2f);
        return batch;
    }

    private static ModelLike Trained(ModelLike model, int steps)
    {
        using var tape = new Tape { GradEnabled = false };
        var rng = new Rng(77);
        for (int i = 0; i < steps; i++)
        {
            model.Forward(tape.Input(Batch(rng)));
            tape.Reset();
        }

        return model;
    }

    /// <summary>
    /// A batch-norm-like layer: a parameter, running statistics updated from each training batch (PyTorch's
    /// names), and an output that reads them in evaluation. Not a batch norm: just enough to exercise buffers.
    /// </summary>
    private sealed class Tracker : Module
    {
        private const float Momentum = 0.1f;

        public Tracker(int features)
        {
            Weight = RegisterParameter("weight", Tensor.FromArray([.. Enumerable.Repeat(1f, features)], features));
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(features));
            RunningVar = RegisterBuffer("running_var", Tensor.FromArray([.. Enumerable.Repeat(1f, features)], features));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros(1));
        }

        public Var Weight { get; }

        public Tensor RunningMean { get; }

        public Tensor RunningVar { get; }

        public Tensor NumBatchesTracked { get; }

        public override Var Forward(Var x)
        {
            var value = x.Value;
            if (Training)
            {
                for (int j = 0; j < value.Columns; j++)
                {
                    double sum = 0, squares = 0;
                    for (int i = 0; i < value.Rows; i++)
                    {
                        sum += value[i, j];
                        squares += value[i, j] * value[i, j];
                    }

                    double mean = sum / value.Rows;
                    double variance = (squares / value.Rows) - (mean * mean);
                    RunningMean[j] = (float)(((1 - Momentum) * RunningMean[j]) + (Momentum * mean));
                    RunningVar[j] = (float)(((1 - Momentum) * RunningVar[j]) + (Momentum * variance));
                }

                NumBatchesTracked[0] += 1f;
                return Ops.Multiply(x, Weight);
            }

            // Evaluation shifts by the running mean, so a model that lost its buffers would compute otherwise.
            return Ops.Multiply(Ops.Subtract(x, Tape.Of(x).Input(RunningMean)), Weight);
        }
    }

    /// <summary>A module with a parameter and a buffer of its own and a Sequential holding a buffered layer, as a model has.</summary>
    private sealed class ModelLike : Module
    {
        public ModelLike(Rng rng)
        {
            Scale = RegisterParameter("scale", Tensor.FromArray([1f], 1));
            Steps = RegisterBuffer("steps", Tensor.Zeros(1));
            Tracker = new Tracker(3);
            Body = RegisterModule("body", new Sequential(new Linear(3, 3, rng), Tracker, new Tanh(), new Linear(3, 3, rng)));
        }

        public Var Scale { get; }

        public Tensor Steps { get; }

        public Tracker Tracker { get; }

        public Sequential Body { get; }

        public override Var Forward(Var x)
        {
            if (Training)
            {
                Steps[0] += 1f;
            }

            return Body.Forward(x);
        }
    }

    private sealed class Named : Module
    {
        public Named(string parameter, string buffer)
        {
            RegisterParameter(parameter, Tensor.Zeros(1));
            RegisterBuffer(buffer, Tensor.Zeros(1));
        }

        public override Var Forward(Var x) => x;
    }
}

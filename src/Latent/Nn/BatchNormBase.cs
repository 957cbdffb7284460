using System.Globalization;
using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Nn;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share: per-channel γ and β, running statistics,
/// and the switch between batch statistics (training) and running ones (evaluation).
/// </summary>
/// <remarks>
/// <para>
/// As PyTorch's nn.BatchNorm with affine and track_running_stats: parameters "weight" (γ, ones) and "bias" (β,
/// zeros), buffers "running_mean" (zeros), "running_var" (ones) and "num_batches_tracked" (a one-element tensor,
/// 0), registered in that order, so the state dict has PyTorch's names. The formulas are those of
/// <see cref="Ops.BatchNorm"/>.
/// </para>
/// <para>
/// In training mode a forward pass normalises by the batch's mean and biased variance, updates the running
/// statistics with the momentum (the unbiased variance) and counts the batch in num_batches_tracked; in
/// evaluation mode (<see cref="Module.Eval"/>) it normalises by the running statistics and changes nothing.
/// num_batches_tracked is an int64 in PyTorch, a float here (exact up to 2²⁴ batches).
/// </para>
/// </remarks>
public abstract class BatchNormBase : Module
{
    private protected BatchNormBase(int channels, float eps, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (!(eps >= 0f) || float.IsPositiveInfinity(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε is finite and not negative.");
        }

        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum lies in [0, 1].");
        }

        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        var ones = Tensor.Zeros(channels);
        ones.Fill(1f);
        Weight = RegisterParameter("weight", ones);
        Bias = RegisterParameter("bias", Tensor.Zeros(channels));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(channels));
        var runningVar = Tensor.Zeros(channels);
        runningVar.Fill(1f);
        RunningVar = RegisterBuffer("running_var", runningVar);
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros(1));
    }

    /// <summary>C, the channels (features) normalised.</summary>
    public int Channels { get; }

    /// <summary>ε, added to the variance.</summary>
    public float Eps { get; }

    /// <summary>The weight of each batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>γ [C], "weight".</summary>
    public Var Weight { get; }

    /// <summary>β [C], "bias".</summary>
    public Var Bias { get; }

    /// <summary>The running mean [C], "running_mean".</summary>
    public Tensor RunningMean { get; }

    /// <summary>The running (unbiased) variance [C], "running_var".</summary>
    public Tensor RunningVar { get; }

    /// <summary>The number of training batches seen, [1], "num_batches_tracked".</summary>
    public Tensor NumBatchesTracked { get; }

    /// <summary>The normalised x; in training mode the running statistics move towards the batch's.</summary>
    public override Var Forward(Var x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInput(x.Value);
        var y = Ops.BatchNorm(x, Weight, Bias, RunningMean, RunningVar, Training, Momentum, Eps);
        if (Training)
        {
            NumBatchesTracked[0] += 1f;
        }

        return y;
    }

    /// <summary>Throws, naming the layer and the shapes, unless <paramref name="x"/> is an input this layer takes.</summary>
    private protected abstract void CheckInput(Tensor x);

    /// <summary>A shape as "[3, 4]".</summary>
    private protected static string Format(Tensor x) => FormatShape(x);

    /// <inheritdoc/>
    protected override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Channels}, eps={Eps}, momentum={Momentum}");
}

using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Autodiff;

public static partial class Ops
{
    /// <summary>Values per part of a parallel batch normalisation: below twice this, one thread does it all.</summary>
    private const int BatchNormGrain = 1 << 15;

    /// <summary>
    /// Batch normalisation, PyTorch's BatchNorm1d ([N, F] or [N, C, L]) and BatchNorm2d ([N, C, H, W]): each
    /// channel (feature) is normalised by its mean and variance over the batch (and positions), then scaled and shifted.
    /// </summary>
    /// <remarks>
    /// <para>
    /// y = γ_c·x̂ + β_c with x̂ = (x − μ_c)/√(σ²_c + ε). In training, μ_c and σ²_c are the mean and the biased
    /// variance of channel c over the M = N·H·W values of the batch (M = N for [N, F]), computed in double in a
    /// fixed order (bitwise the same on any number of threads), and the running statistics are updated in place:
    /// running_mean = (1 − m)·running_mean + m·μ_c and running_var = (1 − m)·running_var + m·σ²_c·M/(M − 1) (the
    /// unbiased variance). In evaluation, μ_c and σ²_c are the running statistics, which are left unchanged.
    /// </para>
    /// <para>
    /// Backward, in training: ∂x = (γ/σ)·(gy − mean(gy) − x̂·mean(gy·x̂)), the means over the channel's M values; in
    /// evaluation the statistics are constants and ∂x = (γ/σ)·gy. In both, ∂γ = Σ gy·x̂ and ∂β = Σ gy.
    /// </para>
    /// </remarks>
    /// <param name="x">The input [N, C], [N, C, L] or [N, C, H, W].</param>
    /// <param name="weight">γ [C].</param>
    /// <param name="bias">β [C].</param>
    /// <param name="runningMean">The running mean [C], updated in training.</param>
    /// <param name="runningVar">The running variance [C], updated in training.</param>
    /// <param name="training">Whether to normalise with the batch's statistics (and update the running ones) or the running ones.</param>
    /// <param name="momentum">m in [0, 1], the weight of the batch in the running statistics.</param>
    /// <param name="eps">ε ≥ 0, added to the variance.</param>
    /// <exception cref="ArgumentException">A shape does not fit, or training sees one value per channel.</exception>
    public static Var BatchNorm(Var x, Var weight, Var bias, Tensor runningMean, Tensor runningVar, bool training, float momentum, float eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (!(momentum >= 0f && momentum <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "BatchNorm: the momentum lies in [0, 1].");
        }

        if (!(eps >= 0f) || float.IsPositiveInfinity(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "BatchNorm: ε is finite and not negative.");
        }

        var value = x.Value;
        if (value.Rank < 2 || value.Dim(1) == 0)
        {
            throw new ArgumentException($"BatchNorm: the input {FormatShape(value)} is not [N, C], [N, C, L] or [N, C, H, W].", nameof(x));
        }

        int images = value.Dim(0), channels = value.Dim(1), plane = value.Columns / channels;
        CheckChannels(weight.Value, channels, "weight", nameof(weight), value);
        CheckChannels(bias.Value, channels, "bias", nameof(bias), value);
        CheckChannels(runningMean, channels, "running mean", nameof(runningMean), value);
        CheckChannels(runningVar, channels, "running variance", nameof(runningVar), value);
        long count = (long)images * plane;
        if (training && count < 2)
        {
            throw new ArgumentException(
                $"BatchNorm: training needs more than one value per channel to estimate a variance; {FormatShape(value)} has {count}. Use a larger batch or evaluation mode.", nameof(x));
        }

        var tape = Tape.Of(x, weight, bias);
        var y = tape.Pool.RentLike(value);

        // Row 0: the mean μ_c used, row 1: 1/√(σ²_c + ε), row 2: γ_c/√(σ²_c + ε), rows 3–4: scratch of the backward pass.
        var stats = tape.Pool.Rent(5, channels);
        var job = new BatchNormJob(value, y, weight.Value, bias.Value, runningMean, runningVar, stats, training, momentum, eps, images, channels, plane);
        var (sum, squares) = ChannelSums.For(channels);
        if (RunsParallel(images, channels, plane, out int grain))
        {
            ForwardParallel(job, sum, squares, grain);
        }
        else
        {
            job.Forward(sum, squares, 0, channels);
        }

        var node = tape.Record(BatchNormBackward.Instance, y, x, weight, bias);
        if (node.Op is null)
        {
            stats.Dispose();
        }
        else
        {
            Tape.Save(node, stats);
            node.Integer = training ? 1 : 0;
        }

        return node;
    }

    private static void CheckChannels(Tensor tensor, int channels, string what, string name, Tensor x)
    {
        if (tensor.Length != channels)
        {
            throw new ArgumentException($"BatchNorm: the {what} has {tensor.Length} values; the input {FormatShape(x)} has {channels} channels.", name);
        }
    }

    /// <summary>Whether to split the channels over threads, and the fewest channels a part takes.</summary>
    private static bool RunsParallel(int images, int channels, int plane, out int grain)
    {
        long perChannel = Math.Max(1L, (long)images * plane);
        grain = (int)Math.Min(channels, (BatchNormGrain + perChannel - 1) / perChannel);
        return Parallelism.MaxThreads > 1 && channels >= 2 * grain;
    }

    // In methods of their own, so the closures are only allocated when the work is split.
    private static void ForwardParallel(BatchNormJob job, double[] sum, double[] squares, int grain) =>
        RowBlocks.ForEachRange(job.Channels, grain, (start, end) => job.Forward(sum, squares, start, end));

    private static void BackwardParallel(BatchNormJob job, Tensor gy, Tensor? dx, bool accumulate, double[] sum, double[] products, int grain) =>
        RowBlocks.ForEachRange(job.Channels, grain, (start, end) => job.Backward(gy, dx, accumulate, sum, products, start, end));

    /// <summary>
    /// One batch normalisation, forward or backward, over any range of channels: each channel's work reads and
    /// writes that channel only, so splitting the channels over threads gives the same bits.
    /// </summary>
    private readonly record struct BatchNormJob(
        Tensor X, Tensor Y, Tensor Weight, Tensor Bias, Tensor RunningMean, Tensor RunningVar, Tensor Stats,
        bool Training, float Momentum, float Eps, int Images, int Channels, int Plane)
    {
        private long Count => (long)Images * Plane;

        /// <summary>Statistics (and running statistics) of channels [start, end), then their output.</summary>
        public void Forward(double[] sum, double[] squares, int start, int end)
        {
            var x = X.Span;
            Span<float> mean = Stats.Row(0), inverse = Stats.Row(1), scale = Stats.Row(2);
            ReadOnlySpan<float> gamma = Weight.Span, beta = Bias.Span;
            if (Training)
            {
                if (Plane == 1)
                {
                    BatchNormKernels.ColumnProductSums(x, x, Images, Channels, sum.AsSpan(0, Channels), squares.AsSpan(0, Channels), start, end - start);
                }
                else
                {
                    ChannelReductions.ChannelSums(x, Images, Channels, Plane, sum.AsSpan(0, Channels), squares.AsSpan(0, Channels), start, end - start);
                }

                Span<float> runningMean = RunningMean.Span, runningVar = RunningVar.Span;
                double m = Count, momentum = Momentum;
                for (int c = start; c < end; c++)
                {
                    double mu = sum[c] / m;
                    double variance = Math.Max(0.0, (squares[c] / m) - (mu * mu));
                    mean[c] = (float)mu;
                    inverse[c] = (float)(1.0 / Math.Sqrt(variance + Eps));
                    runningMean[c] = (float)(((1.0 - momentum) * runningMean[c]) + (momentum * mu));
                    runningVar[c] = (float)(((1.0 - momentum) * runningVar[c]) + (momentum * variance * m / (m - 1.0)));
                }
            }
            else
            {
                RunningMean.Span[start..end].CopyTo(mean[start..end]);
                ReadOnlySpan<float> runningVar = RunningVar.Span;
                for (int c = start; c < end; c++)
                {
                    inverse[c] = (float)(1.0 / Math.Sqrt((double)runningVar[c] + Eps));
                }
            }

            TensorPrimitives.Multiply(gamma[start..end], inverse[start..end], scale[start..end]);

            // y = (x − μ)·(γ/σ) + β.
            var y = Y.Span;
            if (Plane == 1)
            {
                for (int n = 0; n < Images; n++)
                {
                    int offset = (n * Channels) + start, length = end - start;
                    Span<float> row = y.Slice(offset, length);
                    TensorPrimitives.Subtract(x.Slice(offset, length), mean[start..end], row);
                    TensorPrimitives.MultiplyAdd(row, scale[start..end], beta[start..end], row);
                }

                return;
            }

            for (int n = 0; n < Images; n++)
            {
                for (int c = start; c < end; c++)
                {
                    int offset = ((n * Channels) + c) * Plane;
                    BatchNormKernels.Normalize(x.Slice(offset, Plane), mean[c], scale[c], beta[c], y.Slice(offset, Plane));
                }
            }
        }

        /// <summary>
        /// ∂γ and ∂β of channels [start, end) into sum (Σ gy) and products (Σ gy·x̂), and, when
        /// <paramref name="dx"/> is given, ∂x of those channels (added to it when <paramref name="accumulate"/>).
        /// </summary>
        /// <remarks>
        /// Stats row 2 holds k = γ/σ. In training ∂x = k·gy + (x − μ)·u + v with u = −k·σ⁻¹·Σ(gy·x̂)/M and
        /// v = −k·Σgy/M (rows 3 and 4), which is k·(gy − mean(gy) − x̂·mean(gy·x̂)); in evaluation ∂x = k·gy.
        /// </remarks>
        public void Backward(Tensor gradient, Tensor? dx, bool accumulate, double[] sum, double[] products, int start, int end)
        {
            ReadOnlySpan<float> x = X.Span, gy = gradient.Span;
            Span<float> mean = Stats.Row(0), inverse = Stats.Row(1), scale = Stats.Row(2), u = Stats.Row(3), v = Stats.Row(4);
            if (Plane == 1)
            {
                BatchNormKernels.ColumnProductSums(gy, x, Images, Channels, sum.AsSpan(0, Channels), products.AsSpan(0, Channels), start, end - start);
            }
            else
            {
                ChannelReductions.ChannelProductSums(gy, x, Images, Channels, Plane, sum.AsSpan(0, Channels), products.AsSpan(0, Channels), start, end - start);
            }

            // Σ gy·x̂ = σ⁻¹·(Σ gy·x − μ·Σ gy): a product of floats is exact in double, so the difference loses nothing.
            double m = Count;
            for (int c = start; c < end; c++)
            {
                products[c] = inverse[c] * (products[c] - (mean[c] * sum[c]));
                u[c] = Training ? (float)(-scale[c] * (double)inverse[c] * products[c] / m) : 0f;
                v[c] = Training ? (float)(-scale[c] * sum[c] / m) : 0f;
            }

            if (dx is null)
            {
                return;
            }

            var d = dx.Span;
            if (Plane == 1)
            {
                int length = end - start;
                for (int n = 0; n < Images; n++)
                {
                    int offset = (n * Channels) + start;
                    ColumnInputGradient(
                        gy.Slice(offset, length), x.Slice(offset, length), scale[start..end], mean[start..end], u[start..end], v[start..end], d.Slice(offset, length), accumulate);
                }

                return;
            }

            for (int n = 0; n < Images; n++)
            {
                for (int c = start; c < end; c++)
                {
                    int offset = ((n * Channels) + c) * Plane;
                    BatchNormKernels.InputGradient(gy.Slice(offset, Plane), x.Slice(offset, Plane), scale[c], mean[c], u[c], v[c], d.Slice(offset, Plane), accumulate);
                }
            }
        }

        /// <summary>d (+)= gy ⊙ k + ((x − μ) ⊙ u + v) over one row of [N, F] (the parameters vectors over its features).</summary>
        private static void ColumnInputGradient(
            ReadOnlySpan<float> gy, ReadOnlySpan<float> x, ReadOnlySpan<float> k, ReadOnlySpan<float> mean, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> d, bool accumulate)
        {
            Span<float> chunk = stackalloc float[256];
            for (int i = 0; i < d.Length; i += chunk.Length)
            {
                int length = Math.Min(chunk.Length, d.Length - i);
                Span<float> t = chunk[..length];
                TensorPrimitives.Subtract(x.Slice(i, length), mean.Slice(i, length), t);
                TensorPrimitives.MultiplyAdd(t, u.Slice(i, length), v.Slice(i, length), t);
                TensorPrimitives.MultiplyAdd(gy.Slice(i, length), k.Slice(i, length), t, t);
                if (accumulate)
                {
                    TensorPrimitives.Add(d.Slice(i, length), t, d.Slice(i, length));
                }
                else
                {
                    t.CopyTo(d.Slice(i, length));
                }
            }
        }
    }

    private sealed class BatchNormBackward : IBackward
    {
        public static readonly BatchNormBackward Instance = new();

        public void Backward(Var node, Tape tape)
        {
            var x = node.A!;
            var weight = node.B!;
            var bias = node.C!;
            var stats = node.Saved!;
            var value = x.Value;
            int images = value.Dim(0), channels = value.Dim(1), plane = value.Columns / channels;
            var dx = tape.GradBuffer(x, out float betaX);
            bool training = node.Integer != 0;

            // Row 2 of the stats becomes γ/σ with the weight as it is now (the same as in the forward pass).
            TensorPrimitives.Multiply(weight.Value.Span, stats.Row(1), stats.Row(2));
            var job = new BatchNormJob(value, node.Value, weight.Value, bias.Value, value, value, stats, training, 0f, 0f, images, channels, plane);
            var (sum, products) = ChannelSums.For(channels);
            if (RunsParallel(images, channels, plane, out int grain))
            {
                BackwardParallel(job, node.Grad!, dx, betaX != 0f, sum, products, grain);
            }
            else
            {
                job.Backward(node.Grad!, dx, betaX != 0f, sum, products, 0, channels);
            }

            var dw = tape.GradBuffer(weight, out float betaW);
            if (dw is not null)
            {
                Store(products.AsSpan(0, channels), dw.Span, betaW != 0f);
            }

            var db = tape.GradBuffer(bias, out float betaB);
            if (db is not null)
            {
                Store(sum.AsSpan(0, channels), db.Span, betaB != 0f);
            }
        }

        private static void Store(ReadOnlySpan<double> source, Span<float> destination, bool accumulate)
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = accumulate ? destination[i] + (float)source[i] : (float)source[i];
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Latent.Autodiff;
using Latent.Tensors;

namespace Latent.Benchmarks;

/// <summary>
/// Forward and forward + backward of the conv VAE's four convolution layers (4×4 kernels, stride 2, padding 1)
/// through <see cref="Ops.Conv2d"/> and <see cref="Ops.ConvTranspose2d"/>, ms per call, for profiling the layers
/// one by one. Every gradient is computed (input, weight, bias), as in training, except the first layer's input.
/// </summary>
internal static class ConvBenchmark
{
    private const int Samples = 7;

    private static readonly TimeSpan s_sampleTime = TimeSpan.FromMilliseconds(50);

    private static readonly (string Name, bool Transposed, int Inputs, int Size, int Outputs, Activation Activation, bool InputGrad)[] s_layers =
    [
        ("conv 1→32, 28→14", false, 1, 28, 32, Activation.Relu, false),
        ("conv 32→64, 14→7", false, 32, 14, 64, Activation.Relu, true),
        ("deconv 64→32, 7→14", true, 64, 7, 32, Activation.Relu, true),
        ("deconv 32→1, 14→28", true, 32, 14, 1, Activation.Identity, true),
    ];

    public static int Run(string[] args)
    {
        int batch = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 128;
        using ParallelismScope limit = Parallelism.Limit(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount);
        var settings = ConvSettings.Square(4, 2, 1);
        Console.WriteLine($"kernel {Gemm.KernelName}, {Environment.ProcessorCount} cores, threads {Parallelism.MaxThreads}, batch {batch}, {settings}; load average {LoadAverage()}");
        Console.WriteLine("ms per call, median of 7 samples (min in brackets)");
        Console.WriteLine($"{"layer",-22} {"forward",18} {"forward+backward",18}");
        double totalForward = 0, totalStep = 0;
        var rng = new Rng(1);
        foreach ((string name, bool transposed, int inputs, int size, int outputs, Activation activation, bool inputGrad) in s_layers)
        {
            var x = Tensor.Zeros(batch, inputs, size, size);
            rng.FillUniform(x.Span);
            var weight = Var.Parameter(transposed ? Tensor.Zeros(inputs, outputs, 4, 4) : Tensor.Zeros(outputs, inputs, 4, 4));
            rng.FillUniform(weight.Value.Span, -0.1f, 0.1f);
            var bias = Var.Parameter(Tensor.Zeros(outputs));
            rng.FillUniform(bias.Value.Span, -0.1f, 0.1f);
            using var tape = new Tape();

            Var Forward()
            {
                var input = tape.Input(x, inputGrad);
                return transposed
                    ? Ops.ConvTranspose2d(input, weight, bias, settings, 0, activation)
                    : Ops.Conv2d(input, weight, bias, settings, activation);
            }

            (double forward, double forwardMin) = Measure(() =>
            {
                Forward();
                tape.Reset();
            });
            (double step, double stepMin) = Measure(() =>
            {
                tape.Backward(Ops.Sum(Forward()));
                weight.ZeroGrad();
                bias.ZeroGrad();
                tape.Reset();
            });
            totalForward += forward;
            totalStep += step;
            Console.WriteLine($"{name,-22} {forward,8:F3} ({forwardMin,7:F3}) {step,8:F3} ({stepMin,7:F3})");
        }

        Console.WriteLine($"{"total",-22} {totalForward,8:F3} {"",9} {totalStep,8:F3}");
        Console.WriteLine($"load average at the end {LoadAverage()}");
        return 0;
    }

    private static (double Median, double Min) Measure(Action work)
    {
        work();
        work();
        var times = new double[Samples];
        for (int s = 0; s < Samples; s++)
        {
            var clock = Stopwatch.StartNew();
            int calls = 0;
            do
            {
                work();
                calls++;
            }
            while (clock.Elapsed < s_sampleTime);
            times[s] = clock.Elapsed.TotalMilliseconds / calls;
        }

        Array.Sort(times);
        return (times[Samples / 2], times[0]);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

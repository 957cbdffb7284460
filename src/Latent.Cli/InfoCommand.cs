using System.CommandLine;
using System.Reflection;
using System.Runtime.Intrinsics;
using Latent.Tensors;

namespace Latent.Cli;

/// <summary><c>latent info</c>: version, the SIMD width in use, and the cores.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show Latent's version, the SIMD width in use and the core count.");
        command.SetAction(_ =>
        {
            foreach ((string name, string value) in Describe())
            {
                Console.WriteLine($"{name,-10} {value}");
            }

            return 0;
        });
        return command;
    }

    public static IEnumerable<(string Name, string Value)> Describe()
    {
        var version = typeof(Tensor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        yield return ("version", version.Split('+')[0]);
        yield return ("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        var (bits, isa) = Simd();
        yield return ("simd", $"{bits}-bit ({isa})");
        yield return ("gemm", Gemm.KernelName);
        yield return ("cores", $"{Environment.ProcessorCount} (parallel work uses up to {Parallelism.MaxThreads} threads)");
    }

    // The widest accelerated vector, which the library's element-wise kernels use (their own choice is internal).
    private static (int Bits, string Name) Simd() =>
        Vector512.IsHardwareAccelerated ? (512, "AVX-512")
        : Vector256.IsHardwareAccelerated ? (256, "AVX2")
        : Vector128.IsHardwareAccelerated ? (128, "SSE/NEON")
        : (32, "scalar");
}

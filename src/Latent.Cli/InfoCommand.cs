using System.CommandLine;
using System.Reflection;
using System.Runtime.Intrinsics;
using Latent.Tensors;
using Latent.Tensors.Kernels;

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
        yield return ("simd", $"{ElementWise.VectorBits}-bit ({Isa()})");
        yield return ("gemm", Gemm.KernelName);
        yield return ("cores", $"{Environment.ProcessorCount} (parallel work uses up to {Parallelism.MaxThreads} threads)");
    }

    private static string Isa() =>
        Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : Vector128.IsHardwareAccelerated ? "SSE/NEON" : "scalar";
}

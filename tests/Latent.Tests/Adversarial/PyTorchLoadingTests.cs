using System.Diagnostics;
using System.Globalization;
using Latent.Data;
using Latent.Models;
using Latent.Serialization;
using Latent.Tensors;
using Xunit.Abstractions;

namespace Latent.Tests.Adversarial;

/// <summary>
/// GAN model files load into the equivalent PyTorch modules by their tensor names: the state dicts of the dcgan and
/// infogan presets (28×28) are exactly those of bench/peers/load_latent_gan.py's modules, and, where PyTorch is
/// installed, that script loads a model strictly and computes what Latent computes.
/// </summary>
public sealed class PyTorchLoadingTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";
    private static readonly ImageShape s_shape = new(1, 28, 28);

    // PyTorch's state_dict() of the script's modules, in order (num_batches_tracked: int64 [] there, float32 [1] here).
    private static readonly string[] s_dcgan =
    [
        "generator.0.weight [6272, 100]", "generator.0.bias [6272]",
        .. Norm("generator.1", 6272),
        "generator.4.weight [128, 64, 4, 4]", "generator.4.bias [64]",
        .. Norm("generator.5", 64),
        "generator.7.weight [64, 1, 4, 4]", "generator.7.bias [1]",
        "discriminator.0.weight [64, 1, 4, 4]", "discriminator.0.bias [64]",
        "discriminator.2.weight [128, 64, 4, 4]", "discriminator.2.bias [128]",
        .. Norm("discriminator.3", 128),
        "critic.weight [1, 6272]", "critic.bias [1]",
    ];

    private static readonly string[] s_infogan =
    [
        "generator.0.weight [256, 10]", "generator.0.bias [256]",
        .. Norm("generator.1", 256),
        "generator.3.weight [256, 256]", "generator.3.bias [256]",
        .. Norm("generator.4", 256),
        "generator.6.weight [6272, 256]", "generator.6.bias [6272]",
        .. Norm("generator.7", 6272),
        "generator.10.weight [128, 64, 4, 4]", "generator.10.bias [64]",
        .. Norm("generator.11", 64),
        "generator.13.weight [64, 1, 4, 4]", "generator.13.bias [1]",
        "discriminator.0.weight [64, 1, 4, 4]", "discriminator.0.bias [64]",
        "discriminator.2.weight [128, 64, 4, 4]", "discriminator.2.bias [128]",
        .. Norm("discriminator.3", 128),
        "discriminator.6.weight [1024, 6272]", "discriminator.6.bias [1024]",
        .. Norm("discriminator.7", 1024),
        "critic.weight [1, 1024]", "critic.bias [1]",
        "recognition.0.weight [128, 1024]", "recognition.0.bias [128]",
        .. Norm("recognition.1", 128),
        "recognition.3.weight [5, 128]", "recognition.3.bias [5]",
    ];

    [Theory]
    [InlineData("dcgan")]
    [InlineData("infogan")]
    public void The_state_dict_is_exactly_the_PyTorch_modules(string preset)
    {
        var network = new AdversarialNetwork(AdversarialPresets.Defaults(preset, s_shape));
        string[] actual = [.. network.StateDict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.Shape)}]")];
        Assert.Equal(preset == "dcgan" ? s_dcgan : s_infogan, actual);
    }

    [TorchTheory]
    [InlineData("dcgan")]
    [InlineData("infogan")]
    public void The_PyTorch_script_loads_the_file_strictly_and_computes_what_Latent_computes(string preset)
    {
        using var folder = new TempFolder();
        var network = AdversarialTestNetworks.WithRandomNorms(preset, s_shape, 23);
        string model = folder.File("model.safetensors");
        AdversarialModelFile.Save(network, model);
        var z = network.DrawLatent(64, seed: 4);
        var items = Tensor.FromArray(UnitScaling.Apply(new DatasetCatalog().Load("mnist-10k")).Take(64).Features.Span.ToArray(), 64, 784);
        var source = new TensorSource(items);
        var check = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["z"] = z,
            ["images"] = network.Generate(z),
            ["items"] = items,
            ["real_probability"] = network.Discriminate(source),
        };
        if (network.Recognition is not null)
        {
            check["codes"] = network.InferCodes(source);
        }

        SafeTensors.Write(folder.File("check.safetensors"), check);
        string printed = RunScript(model, folder.File("check.safetensors"));
        output.WriteLine(printed);
        Assert.Contains($"into the PyTorch {preset} (strict)", printed, StringComparison.Ordinal);
        Assert.Contains(preset == "infogan" ? "recognition codes, 64 items" : "discriminator P(real), 64 items", printed, StringComparison.Ordinal);
        string last = printed.Trim().Split('\n')[^1];
        Assert.StartsWith("max difference ", last, StringComparison.Ordinal);
        double worst = double.Parse(last["max difference ".Length..], CultureInfo.InvariantCulture);
        Assert.True(worst <= 1e-4, printed);
    }

    private static string RunScript(string model, string check)
    {
        string script = Path.Combine(RepositoryPaths.Root(), "bench", "peers", "load_latent_gan.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[script, model, "--check", check])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string printed = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} exited {process.ExitCode}: {error.Result}");
        return printed;
    }

    private static string[] Norm(string prefix, int size) =>
        [$"{prefix}.weight [{size}]", $"{prefix}.bias [{size}]", $"{prefix}.running_mean [{size}]", $"{prefix}.running_var [{size}]", $"{prefix}.num_batches_tracked [1]"];

    /// <summary>A theory that runs only where /usr/bin/python3 has PyTorch (bench/peers/install.sh installs it), and says so when skipped.</summary>
    private sealed class TorchTheoryAttribute : TheoryAttribute
    {
        public TorchTheoryAttribute()
        {
            if (!File.Exists(Python) || !Directory.Exists("/usr/lib/python3/dist-packages/torch"))
            {
                Skip = "PyTorch is not installed for /usr/bin/python3 (bench/peers/install.sh installs it); the state-dict test above still checks the names and shapes.";
            }
        }
    }
}

using System.Diagnostics;
using Xunit.Abstractions;

namespace Latent.Tests.Training;

/// <summary>
/// The fault test of issue 12: a real <c>latent train</c> process is killed (SIGKILL) at random points, during
/// epochs and during checkpoint writes, resumed with <c>--resume</c> until it finishes, and its final model must
/// be byte for byte the model of an uninterrupted run with the same options.
/// </summary>
/// <remarks>
/// It runs the command line tool built beside the library (src/Latent.Cli/bin/&lt;configuration&gt;/net10.0), as a
/// user would, so the kill hits a real process with real files. CI runs it as a step of its own (Category=Fault).
/// </remarks>
[Trait("Category", "Fault")]
public class KillResumeFaultTests(ITestOutputHelper output)
{
    // mnist-10k's first 3,000 items with a 256-unit layer: about 0.1 s an epoch on two cores, 10 epochs, so that
    // random kill delays of a fraction of a second to two seconds land in the start, in epochs and in checkpoints.
    private static readonly string[] s_train =
        ["train", "ae", "--data", "mnist-10k", "--limit", "3000", "--epochs", "10", "--latent", "8", "--encoder", "fc256", "--decoder", "fc256", "--batch", "64",
         "--checkpoint-every", "1", "--seed", "11", "--quiet"];

    private const int Interruptions = 6;

    [Fact]
    public void KilledAndResumedTrainingEndsWithTheUninterruptedModel()
    {
        using var folder = new TempFolder();
        string reference = folder.File("reference");
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, RunToEnd(reference, resume: false));
        TimeSpan uninterrupted = clock.Elapsed;

        string interrupted = folder.File("interrupted");
        var rng = new Random(12);
        var kills = new List<string>();
        for (int i = 0; i < Interruptions; i++)
        {
            bool resume = File.Exists(Path.Combine(interrupted, "checkpoint.safetensors"));
            // Every other kill waits for a checkpoint's temporary file to appear (a kill during the write); the
            // others come after a random delay within the uninterrupted run's time (mostly during an epoch).
            bool duringWrite = i % 2 == 1;
            // Half a second (the start) plus up to a third of the uninterrupted run: each attempt gets a little further.
            var delay = TimeSpan.FromSeconds(0.5 + (rng.NextDouble() * uninterrupted.TotalSeconds / 3));
            string? outcome = RunAndKill(interrupted, resume, duringWrite, delay);
            if (outcome is null)
            {
                break; // It finished before the kill came.
            }

            kills.Add(outcome);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed {outcome}");
        }

        if (!File.Exists(Path.Combine(interrupted, "model.safetensors")) || kills.Count == Interruptions)
        {
            Assert.Equal(0, RunToEnd(interrupted, resume: File.Exists(Path.Combine(interrupted, "checkpoint.safetensors"))));
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: done; uninterrupted run {uninterrupted.TotalSeconds:F1} s");
        Assert.True(kills.Count >= 3, $"only {kills.Count} kills landed ({uninterrupted.TotalSeconds:F1} s uninterrupted): {string.Join(", ", kills)}");
        Assert.Contains(kills, k => k.StartsWith("during a write", StringComparison.Ordinal));
        byte[] expected = File.ReadAllBytes(Path.Combine(reference, "model.safetensors"));
        byte[] actual = File.ReadAllBytes(Path.Combine(interrupted, "model.safetensors"));
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"the model after kills ({string.Join("; ", kills)}) and resumes differs from the uninterrupted run's");
    }

    private static int RunToEnd(string run, bool resume)
    {
        using var process = Start(run, resume);
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("latent train did not finish in 2 minutes.");
        }

        return process.ExitCode;
    }

    /// <summary>Starts a run and kills it; returns where it was killed, or null if it finished first.</summary>
    private static string? RunAndKill(string run, bool resume, bool duringWrite, TimeSpan delay)
    {
        using var process = Start(run, resume);
        var clock = Stopwatch.StartNew();
        string? point = null;
        while (point is null && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited)
            {
                Assert.True(process.ExitCode == 0, $"latent train exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
                return null;
            }

            if (duringWrite)
            {
                string? temporary = Directory.Exists(run) ? Directory.EnumerateFiles(run, "*.tmp").FirstOrDefault() : null;
                if (temporary is not null)
                {
                    point = $"during a write of {Path.GetFileName(temporary)}";
                }
                else
                {
                    Thread.SpinWait(1000);
                }
            }
            else if (clock.Elapsed >= delay)
            {
                point = $"after {delay.TotalSeconds:F2} s";
            }
            else
            {
                Thread.Sleep(5);
            }
        }

        process.Kill(); // SIGKILL on Unix: no handler, no flush, no cleanup.
        process.WaitForExit();
        return point + (resume ? " (resumed)" : " (fresh)");
    }

    private static Process Start(string run, bool resume)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root(),
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CommandPath());
        foreach (string argument in s_train)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(run);
        if (resume)
        {
            start.ArgumentList.Add("--resume");
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static string CommandPath()
    {
        // The tests run from tests/Latent.Tests/bin/<configuration>/<framework>/: the tool is built under the same pair.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name, configuration = output.Parent!.Name;
        string path = Path.Combine(RepositoryPaths.Root(), "src", "Latent.Cli", "bin", configuration, framework, "Latent.Cli.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first.");
        return path;
    }
}

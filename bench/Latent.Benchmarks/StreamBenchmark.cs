using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Latent.Data;

namespace Latent.Benchmarks;

/// <summary>
/// Data larger than memory: writes a large synthetic uint8 NPY of Fashion-MNIST-like images, and runs a command
/// (the CLI on it) while sampling the child's memory from /proc, to report its peak anonymous and file-backed
/// resident memory (mapped file pages are file-backed and evictable; the anonymous part is what must stay bounded).
/// </summary>
/// <remarks>
/// <c>stream write PATH [rows, default 3,200,000]</c> writes [rows, 28, 28] uint8 (2.5 GB at the default), the
/// Fashion-MNIST training images over and over, each pass mirrored or not and shifted by a pixel so that no two
/// passes repeat; <c>stream run PROGRAM ARGS...</c> runs PROGRAM and prints the wall time, its CPU time (user + system, which the load of other processes
/// inflates far less than the wall time), peak RssAnon, peak
/// RssFile and VmHWM (sampled every 50 ms) and the load average. docs/performance.md gives the commands.
/// </remarks>
internal static class StreamBenchmark
{
    public static int Run(string[] args)
    {
        return args switch
        {
            ["write", string path] => Write(path, 3_200_000),
            ["write", string path, string rows] => Write(path, int.Parse(rows, CultureInfo.InvariantCulture)),
            ["run", string program, .. var rest] => Measure(program, rest),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("Usage: stream write PATH [rows] | stream run PROGRAM [ARGS...]");
        return 2;
    }

    private static int Write(string path, int rows)
    {
        var source = new DatasetCatalog().Load("fashion-mnist");
        int n = source.Count, d = source.Dimension;
        if (d != 784)
        {
            Console.Error.WriteLine($"fashion-mnist has {d} values per image, not 784.");
            return 2;
        }

        var images = new byte[n * d];
        ReadOnlySpan<float> values = source.Features.Span;
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (byte)values[i];
        }

        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            file.Write(Header(rows));
            var row = new byte[d];
            for (int r = 0; r < rows; r++)
            {
                int pass = r / n;
                ReadOnlySpan<byte> image = images.AsSpan((r % n) * d, d);
                Vary(image, pass, row);
                file.Write(row);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {rows} × 28 × 28 uint8, {new FileInfo(path).Length / 1e9:F2} GB in {clock.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>Pass p of an image: mirrored when p is odd, shifted right by (p / 2) mod 4 pixels.</summary>
    private static void Vary(ReadOnlySpan<byte> image, int pass, Span<byte> row)
    {
        int shift = (pass / 2) % 4;
        bool mirror = pass % 2 == 1;
        row.Clear();
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x + shift < 28; x++)
            {
                row[(y * 28) + x + shift] = image[(y * 28) + (mirror ? 27 - x : x)];
            }
        }
    }

    /// <summary>An NPY version 1.0 header for [rows, 28, 28] uint8, padded to 128 bytes.</summary>
    private static byte[] Header(int rows)
    {
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '|u1', 'fortran_order': False, 'shape': ({rows}, 28, 28), }}");
        var header = new byte[128];
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 118);
        Encoding.Latin1.GetBytes(dict.PadRight(117) + "\n", header.AsSpan(10));
        return header;
    }

    private static int Measure(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        string load = File.ReadAllText("/proc/loadavg").Trim();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        long anon = 0, fileBacked = 0, peak = 0, ticks = 0;
        string status = $"/proc/{process.Id}/status", stat = $"/proc/{process.Id}/stat";
        while (!process.WaitForExit(50))
        {
            try
            {
                foreach (string line in File.ReadLines(status))
                {
                    anon = line.StartsWith("RssAnon:", StringComparison.Ordinal) ? Math.Max(anon, Kilobytes(line)) : anon;
                    fileBacked = line.StartsWith("RssFile:", StringComparison.Ordinal) ? Math.Max(fileBacked, Kilobytes(line)) : fileBacked;
                    peak = line.StartsWith("VmHWM:", StringComparison.Ordinal) ? Math.Max(peak, Kilobytes(line)) : peak;
                }

                // utime and stime (fields 14 and 15, after the parenthesised command name), in clock ticks.
                string[] fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended between the wait and the read.
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exit {process.ExitCode}, wall {clock.Elapsed.TotalSeconds:F1} s, CPU {ticks / 100.0:F1} s (to the last sample), peak RssAnon {anon / 1024.0:F0} MiB, peak RssFile {fileBacked / 1024.0:F0} MiB, VmHWM {peak / 1024.0:F0} MiB; load average before {load}, after {File.ReadAllText("/proc/loadavg").Trim()}"));
        return process.ExitCode;
    }

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using Latent.Data;
using Latent.Serialization;

namespace Latent.Tests.Data;

/// <summary>
/// Inputs whose length is not known (a symlink to /dev/zero, a FIFO): every reader stops at a byte cap
/// with an error naming the file, instead of reading until memory runs out.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class UnknownLengthInputTests
{
    [Fact]
    public void ASymlinkToDevZeroIsRefusedByEveryReader()
    {
        if (!File.Exists("/dev/zero"))
        {
            return;
        }

        using var folder = new TempFolder();
        string Link(string name)
        {
            string path = folder.File(name);
            File.CreateSymbolicLink(path, "/dev/zero");
            return path;
        }

        string csv = Link("z.csv"), idx = Link("z.idx"), npy = Link("z.npy"), safetensors = Link("z.safetensors");
        using var pngs = new TempFolder();
        string png = pngs.File("z.png");
        File.CreateSymbolicLink(png, "/dev/zero");
        var readers = new (string Path, Action Read)[]
        {
            (csv, () => Csv.Read(csv)),
            (idx, () => Idx.Read(idx)),
            (idx, () => ArrayFiles.Load(idx)),
            (idx, () => MappedSource.Open(idx).Dispose()),
            (npy, () => Npy.Read(npy)),
            (npy, () => MappedSource.Open(npy).Dispose()),
            (safetensors, () => SafeTensors.Read(safetensors)),
            (png, () => Png.Read(png)),
            (png, () => PngFolder.Load(pngs.Path)),
        };
        for (int i = 0; i < readers.Length; i++)
        {
            (string path, var read) = readers[i];

            // Each reader as a `latent` process meets it: alone in its heap, not beside the 64 MiB the previous one
            // read before it refused (garbage a heap limit counts until a full collection).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var exception = Record.Exception(read);
            Assert.True(exception is DataFormatException, $"reader {i} on {Path.GetFileName(path)}: {exception?.GetType().Name ?? "no error"}: {exception?.Message}\n{exception?.StackTrace}");
            Assert.Contains(path, exception!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnEndlessFifoStopsAtTheCap()
    {
        using var folder = new TempFolder();
        string fifo = folder.File("pipe.csv");
        if (!MakeFifo(fifo))
        {
            return;
        }

        // Rows padded with spaces, so that 64 MiB of pipe is few values: the cap, not memory, ends the read.
        var row = System.Text.Encoding.ASCII.GetBytes("1" + new string(' ', 4000) + ",2\n");
        using var writer = Feed(fifo, endless: true, row);
        var error = Assert.Throws<DataFormatException>(() => FormatLimits.ReadFile(fifo, streamCap: 1 << 20));
        Assert.Contains("1,048,576 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains(fifo, error.Message, StringComparison.Ordinal);
        error = Assert.Throws<DataFormatException>(() => Csv.Read(FeedAgain(fifo, writer)));
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFiniteFifoIsReadWhole()
    {
        using var folder = new TempFolder();
        string fifo = folder.File("pipe.csv");
        if (!MakeFifo(fifo))
        {
            return;
        }

        using (Feed(fifo, endless: false, "a,b\n1,2\n3,4\n"u8.ToArray()))
        {
            Assert.Equal([1f, 2, 3, 4], Csv.Read(fifo).Features.ToArray());
        }

        using (Feed(fifo, endless: false, Npy.Serialize(new NumericArray([2], [5, 6]))))
        {
            Assert.Equal([5f, 6], Npy.Read(fifo).Values);
        }

        // The mapped reader needs a length to check; a pipe has none.
        using (Feed(fifo, endless: false, [1, 2, 3]))
        {
            Assert.Contains("pipe or device", Assert.Throws<DataFormatException>(() => MappedSource.Open(fifo)).Message, StringComparison.Ordinal);
        }
    }

    private static bool MakeFifo(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    // The endless writer is fed until the reader closes the pipe; then a second writer is started for the next read.
    private static string FeedAgain(string fifo, Writer previous)
    {
        previous.Dispose();
        previous.Restart();
        return fifo;
    }

    private static Writer Feed(string fifo, bool endless, byte[] content) => new(fifo, endless, content);

    private sealed class Writer : IDisposable
    {
        private readonly string _fifo;
        private readonly bool _endless;
        private readonly byte[] _content;
        private Task _task;

        public Writer(string fifo, bool endless, byte[] content)
        {
            (_fifo, _endless, _content) = (fifo, endless, content);
            _task = Start();
        }

        public void Restart() => _task = Start();

        public void Dispose() => Assert.True(_task.Wait(TimeSpan.FromSeconds(30)), "the FIFO writer did not finish");

        private Task Start() => Task.Run(() =>
        {
            try
            {
                using var stream = new FileStream(_fifo, FileMode.Open, FileAccess.Write);
                var block = new byte[_content.Length * Math.Max(1, 65536 / _content.Length)];
                for (int i = 0; i < block.Length; i += _content.Length)
                {
                    _content.CopyTo(block, i);
                }

                do
                {
                    stream.Write(_endless ? block : _content);
                }
                while (_endless);
            }
            catch (IOException)
            {
                // The reader closed the pipe: what an endless writer expects.
            }
        });
    }
}

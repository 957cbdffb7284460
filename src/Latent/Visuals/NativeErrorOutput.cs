using System.Runtime.InteropServices;

namespace Latent.Visuals;

/// <summary>
/// Silences the process's native error output (file descriptor 2) while Skia writes an SVG: Skia's SVG backend
/// prints "Unsupported path effect in addPaint." for every dashed line (it draws them solid), which would bury a
/// command's own output. Managed code keeps writing to <see cref="Console.Error"/> as before outside the call.
/// </summary>
internal static partial class NativeErrorOutput
{
    private const int ErrorDescriptor = 2;

    /// <summary>Runs <paramref name="work"/> with native writes to standard error sent to /dev/null (on Linux and macOS; elsewhere it just runs).</summary>
    public static T Silenced<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return work();
        }

        Console.Error.Flush();
        int saved = Dup(ErrorDescriptor);
        int devNull = saved < 0 ? -1 : Open("/dev/null", 1 /* O_WRONLY */);
        if (saved < 0 || devNull < 0 || Dup2(devNull, ErrorDescriptor) < 0)
        {
            Close(devNull);
            Close(saved);
            return work(); // cannot redirect: the notes are only noise, so render anyway
        }

        try
        {
            return work();
        }
        finally
        {
            Dup2(saved, ErrorDescriptor);
            Close(saved);
            Close(devNull);
        }
    }

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int descriptor);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int from, int to);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    private static void Close(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = CloseDescriptor(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int descriptor);
}

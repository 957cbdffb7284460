using System.Diagnostics;

namespace Latent.Autodiff;

/// <summary>
/// Where a tape's steps spend their time, op by op: the benchmarks set one on a tape (<see cref="Tape.Profile"/>)
/// to print a per-phase breakdown of a training step.
/// </summary>
/// <remarks>
/// An op's forward time is the time from the previous node the tape recorded to this op's output, so it includes
/// whatever the caller did in between (filling a scratch input, for example); its backward time is its own
/// backward call. With no profile set the tape reads no clock.
/// </remarks>
internal sealed class TapeProfile
{
    private readonly Dictionary<Type, Entry> _entries = [];
    private long _mark;

    /// <summary>Every op seen, with its total forward and backward seconds and its number of calls, slowest first.</summary>
    public IReadOnlyList<(string Op, double ForwardSeconds, double BackwardSeconds, long Calls)> Ops =>
        [.. _entries.Select(e => (Name(e.Key), Seconds(e.Value.Forward), Seconds(e.Value.Backward), e.Value.Calls))
            .OrderByDescending(e => e.Item2 + e.Item3)];

    /// <summary>Forgets everything measured so far.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Starts the forward clock (a step's input was put on the tape).</summary>
    internal void Mark() => _mark = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the last mark to <paramref name="op"/>'s forward pass.</summary>
    internal void Forward(IBackward op)
    {
        long now = Stopwatch.GetTimestamp();
        var entry = EntryOf(op);
        entry.Forward += now - _mark;
        entry.Calls++;
        _mark = now;
    }

    /// <summary>Charges <paramref name="ticks"/> to <paramref name="op"/>'s backward pass.</summary>
    internal void Backward(IBackward op, long ticks) => EntryOf(op).Backward += ticks;

    private Entry EntryOf(IBackward op)
    {
        if (!_entries.TryGetValue(op.GetType(), out var entry))
        {
            entry = new Entry();
            _entries.Add(op.GetType(), entry);
        }

        return entry;
    }

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    // The ops' backward classes are named after the op: LinearBackward is Linear's.
    private static string Name(Type type) =>
        type.Name.EndsWith("Backward", StringComparison.Ordinal) && type.Name.Length > "Backward".Length ? type.Name[..^"Backward".Length] : type.Name;

    private sealed class Entry
    {
        public long Forward;
        public long Backward;
        public long Calls;
    }
}

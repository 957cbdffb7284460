using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// Cuts a feature source into seeded mini-batches, epoch after epoch, into pooled tensors: after the first
/// epoch, iterating allocates nothing.
/// </summary>
/// <remarks>
/// Each epoch shuffles one index array in place (Fisher–Yates from the seeded <see cref="Rng"/>), then copies
/// the rows of each batch from the source into one of two reused tensors (full size and the smaller last
/// batch). With dynamic binarisation a second, independent stream draws the Bernoulli samples, so the
/// order of items does not depend on it. The same seed gives the same batches.
/// </remarks>
public sealed class Batcher : IDisposable
{
    private readonly IFeatureSource _source;
    private readonly BatchOptions _options;
    private readonly Rng _orderRng;
    private readonly Rng _binaryRng;
    private readonly TensorPool _pool;
    private readonly int[] _order;
    private readonly int[]? _labels;
    private Tensor? _full;
    private Tensor? _last;

    /// <summary>Creates a batcher over <paramref name="source"/>, seeded by <paramref name="seed"/>.</summary>
    public Batcher(IFeatureSource source, BatchOptions options, ulong seed, TensorPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        _source = source;
        _options = options;
        _orderRng = new Rng(seed);
        _binaryRng = _orderRng.Split();
        _pool = pool ?? new TensorPool();
        _order = new int[source.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _labels = source.HasLabels ? new int[Math.Min(options.BatchSize, source.Count)] : null;
    }

    /// <summary>The source being batched.</summary>
    public IFeatureSource Source => _source;

    /// <summary>Number of batches in one epoch.</summary>
    public int BatchesPerEpoch => _options.DropLast ? _source.Count / _options.BatchSize : (_source.Count + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>Number of epochs begun.</summary>
    public int Epoch { get; private set; }

    /// <summary>Starts the next epoch: <c>foreach (var batch in batcher.NextEpoch())</c>.</summary>
    public EpochBatches NextEpoch()
    {
        Epoch++;
        if (_options.Shuffle)
        {
            _orderRng.Shuffle<int>(_order);
        }

        return new EpochBatches(this);
    }

    public void Dispose()
    {
        _full?.Dispose();
        _last?.Dispose();
        _full = _last = null;
    }

    private Batch Fill(int batchIndex)
    {
        int size = _options.BatchSize;
        int start = batchIndex * size;
        int count = Math.Min(size, _source.Count - start);
        Tensor features = count == size
            ? _full ??= _pool.Rent(size, _source.Dimension)
            : _last ??= _pool.Rent(count, _source.Dimension);
        var indices = new ReadOnlyMemory<int>(_order, start, count);
        _source.CopyRows(indices.Span, features.Span);
        if (_options.DynamicBinarization)
        {
            Dataset.CheckProbabilities(features.Span, _source.Name);
            _binaryRng.FillBernoulli(features.Span, features.Span);
        }

        var labels = ReadOnlyMemory<int>.Empty;
        if (_labels is not null)
        {
            _source.CopyLabels(indices.Span, _labels.AsSpan(0, count));
            labels = new ReadOnlyMemory<int>(_labels, 0, count);
        }

        return new Batch(features, labels, indices);
    }

    /// <summary>The batches of one epoch (a struct, so iterating allocates nothing).</summary>
    public readonly struct EpochBatches
    {
        private readonly Batcher _batcher;

        internal EpochBatches(Batcher batcher) => _batcher = batcher;

        public Enumerator GetEnumerator() => new(_batcher);
    }

    /// <summary>Enumerates the batches of one epoch.</summary>
    public struct Enumerator
    {
        private readonly Batcher _batcher;
        private int _next;

        internal Enumerator(Batcher batcher)
        {
            _batcher = batcher;
            _next = 0;
            Current = default;
        }

        public Batch Current { get; private set; }

        public bool MoveNext()
        {
            if (_next >= _batcher.BatchesPerEpoch)
            {
                return false;
            }

            Current = _batcher.Fill(_next++);
            return true;
        }
    }
}

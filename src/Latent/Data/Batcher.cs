using Latent.Tensors;

namespace Latent.Data;

/// <summary>
/// Cuts a feature source into mini-batches, epoch after epoch, into pooled tensors: after the first epoch,
/// iterating allocates nothing. Training reads it shuffled; inference, evaluation and the classical fits read
/// it in source order (<see cref="BatchOptions.Sequential"/>).
/// </summary>
/// <remarks>
/// <para>
/// Each shuffled epoch resets one index array to the identity and shuffles it (Fisher–Yates from the seeded
/// order stream), so an epoch's order depends only on the stream's state at the epoch's start. Then the
/// rows of each batch are copied from the source into one of two reused tensors (full size and the smaller
/// last batch), shaped [n, d] or, with <see cref="BatchOptions.ImageBatches"/>, [n, C, H, W]. With dynamic
/// binarisation a second, independent stream draws the Bernoulli samples, so the order of items does not
/// depend on it. The same seed gives the same batches.
/// </para>
/// <para>
/// <see cref="GetState"/> and <see cref="SetState"/> save and restore the two streams (eight words): a batcher
/// restored between epochs to the state another had reached produces, from its next epoch on, exactly the
/// batches the other does. A training checkpoint stores this state.
/// </para>
/// </remarks>
public sealed class Batcher : IDisposable
{
    /// <summary>Number of words in <see cref="GetState"/>: the order stream's four, then the binarisation stream's four.</summary>
    public const int StateWords = 8;

    private readonly IFeatureSource _source;
    private readonly BatchOptions _options;
    private readonly Rng _orderRng;
    private readonly Rng _binaryRng;
    private readonly TensorPool _pool;
    private readonly int[] _order;
    private readonly int[]? _labels;
    private readonly ImageShape? _imageShape;
    private Tensor? _full;
    private Tensor? _last;

    /// <summary>Creates a batcher over <paramref name="source"/>, seeded by <paramref name="seed"/>.</summary>
    /// <param name="source">The items.</param>
    /// <param name="options">Batch size, shuffling, binarisation, layout.</param>
    /// <param name="seed">Seed of the order and binarisation streams (unused when neither shuffles nor binarises).</param>
    /// <param name="pool">Where the two batch tensors come from (returned on <see cref="Dispose"/>); a new pool if null.</param>
    public Batcher(IFeatureSource source, BatchOptions options, ulong seed = 0, TensorPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        if (options.ImageBatches)
        {
            _imageShape = source.ImageShape
                ?? throw new ArgumentException($"{source.Name}: image batches [n, C, H, W] need a source with an image shape; this one has rows of {source.Dimension} features.", nameof(options));
        }

        _source = source;
        _options = options;
        _orderRng = new Rng(seed);
        _binaryRng = _orderRng.Split();
        _pool = pool ?? new TensorPool();
        _order = new int[source.Count];
        ResetOrder();
        _labels = source.HasLabels ? new int[Math.Min(options.BatchSize, source.Count)] : null;
    }

    /// <summary>The source being batched.</summary>
    public IFeatureSource Source => _source;

    /// <summary>The options.</summary>
    public BatchOptions Options => _options;

    /// <summary>Number of batches in one epoch.</summary>
    public int BatchesPerEpoch => _options.DropLast ? _source.Count / _options.BatchSize : (_source.Count + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>Number of items in one epoch (all of them unless <see cref="BatchOptions.DropLast"/>).</summary>
    public int ItemsPerEpoch => _options.DropLast ? BatchesPerEpoch * _options.BatchSize : _source.Count;

    /// <summary>Number of epochs begun.</summary>
    public int Epoch { get; private set; }

    /// <summary>The random state (<see cref="StateWords"/> words), to store in a checkpoint between epochs.</summary>
    public ulong[] GetState() => [.. _orderRng.GetState(), .. _binaryRng.GetState()];

    /// <summary>
    /// Restores a state from <see cref="GetState"/>: the next epoch is the one the saving batcher would have
    /// begun next. Four words restore the order stream only (the shuffle state of older checkpoints).
    /// </summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length is not (4 or StateWords))
        {
            throw new ArgumentException($"A batcher state has {StateWords} words (or 4 for the order alone), not {state.Length}.", nameof(state));
        }

        _orderRng.SetState(state[..4]);
        if (state.Length == StateWords)
        {
            _binaryRng.SetState(state[4..]);
        }
    }

    /// <summary>Starts the next epoch: <c>foreach (var batch in batcher.NextEpoch())</c>.</summary>
    public EpochBatches NextEpoch()
    {
        Epoch++;
        if (_options.Shuffle)
        {
            ResetOrder();
            _orderRng.Shuffle<int>(_order);
        }

        return new EpochBatches(this);
    }

    /// <summary>Returns the batch buffers to their pool.</summary>
    public void Dispose()
    {
        _full?.Dispose();
        _last?.Dispose();
        _full = _last = null;
    }

    private void ResetOrder()
    {
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
    }

    private Batch Fill(int batchIndex)
    {
        int size = _options.BatchSize;
        int start = batchIndex * size;
        int count = Math.Min(size, _source.Count - start);
        Tensor features = count == size
            ? _full ??= Rent(size)
            : _last ??= Rent(count);
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

        return new Batch(features, labels, indices, batchIndex, start);
    }

    private Tensor Rent(int rows) => _imageShape is { } image
        ? _pool.Rent([rows, image.Channels, image.Height, image.Width])
        : _pool.Rent(rows, _source.Dimension);

    /// <summary>The batches of one epoch (a struct, so iterating allocates nothing).</summary>
    public readonly struct EpochBatches
    {
        private readonly Batcher _batcher;

        internal EpochBatches(Batcher batcher) => _batcher = batcher;

        /// <summary>An enumerator over the epoch's batches.</summary>
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

        /// <summary>The current batch; its tensors are reused by the next <see cref="MoveNext"/>.</summary>
        public Batch Current { get; private set; }

        /// <summary>Assembles the next batch of the epoch; false after the last.</summary>
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

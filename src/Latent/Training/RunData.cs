using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Latent.Data;
using Latent.Serialization;

namespace Latent.Training;

/// <summary>
/// The data a training run was started on, recorded in the run folder (<see cref="RunFiles.RunDataFileName"/>) so that
/// a resumed run can refuse other data: the data set's name, its size, a fingerprint of its values and the validation
/// fraction (which, with the seed, decides the split).
/// </summary>
/// <param name="Name">The data set's name.</param>
/// <param name="Items">Its number of items.</param>
/// <param name="Features">Its features per item.</param>
/// <param name="Fingerprint">The XXH3 hash of its values' bytes, as 16 hex digits.</param>
/// <param name="ValidationFraction">The fraction held out for validation.</param>
public sealed record RunData(string Name, int Items, int Features, string Fingerprint, double ValidationFraction)
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>The record of <paramref name="data"/> split with <paramref name="validationFraction"/>.</summary>
    public static RunData Of(Dataset data, double validationFraction) => Of((IFeatureSource)data, validationFraction);

    /// <summary>
    /// The record of <paramref name="data"/> split with <paramref name="validationFraction"/>: the fingerprint is hashed
    /// in place when the data is in memory, otherwise block by block as the rows are read (the same value).
    /// </summary>
    public static RunData Of(IFeatureSource data, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hash = new XxHash3();
        SourceBlocks.Of(data).ForEach(block => hash.Append(MemoryMarshal.AsBytes(block.Values)));
        return new RunData(data.Name, data.Count, data.Dimension, hash.GetCurrentHashAsUInt64().ToString("x16", CultureInfo.InvariantCulture), validationFraction);
    }

    /// <summary>Writes this record into run folder <paramref name="folder"/> (atomically).</summary>
    public void Save(string folder) => AtomicFile.WriteAllBytes(RunFiles.RunDataPath(folder), JsonSerializer.SerializeToUtf8Bytes(this, s_json));

    /// <summary>The record of run folder <paramref name="folder"/>, or null when it has none (a run of an older version).</summary>
    /// <exception cref="DataFormatException">The file is not a valid record.</exception>
    public static RunData? Load(string folder)
    {
        string path = RunFiles.RunDataPath(folder);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunData>(File.ReadAllText(path), s_json) ?? throw new DataFormatException(path, "the run's data record is empty.");
        }
        catch (JsonException exception)
        {
            throw new DataFormatException(path, $"the run's data record is not valid: {exception.Message}", exception);
        }
    }

    /// <summary>How <paramref name="now"/> differs from this record, each as "what: recorded → now"; empty when they match.</summary>
    public IReadOnlyList<string> DifferencesFrom(RunData now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var differences = new List<string>();
        Add("data", Name, now.Name);
        Add("items", Items, now.Items);
        Add("features per item", Features, now.Features);
        if (differences.Count == 0)
        {
            Add("values (fingerprint)", Fingerprint, now.Fingerprint);
        }

        Add("validation fraction", ValidationFraction, now.ValidationFraction);
        return differences;

        void Add<T>(string what, T recorded, T current)
        {
            if (!EqualityComparer<T>.Default.Equals(recorded, current))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {recorded} → {current}"));
            }
        }
    }
}

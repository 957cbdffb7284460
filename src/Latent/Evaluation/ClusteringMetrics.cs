namespace Latent.Evaluation;

/// <summary>External measures of a clustering against true labels: matched accuracy, NMI and ARI.</summary>
public static class ClusteringMetrics
{
    /// <summary>
    /// The accuracy of the best one-to-one relabelling of the clusters (Hungarian matching on the contingency
    /// table): max over matchings π of (1/n) Σᵢ [π(clusterᵢ) = labelᵢ]. A permuted labelling scores 1.
    /// </summary>
    public static double Accuracy(IReadOnlyList<int> labels, IReadOnlyList<int> clusters)
    {
        var table = Contingency(labels, clusters, out int n);
        if (n == 0)
        {
            return 0;
        }

        var assignment = Hungarian.MaximumWeightMatching(table);
        double correct = 0;
        for (int c = 0; c < assignment.Length; c++)
        {
            if (assignment[c] >= 0)
            {
                correct += table[c, assignment[c]];
            }
        }

        return correct / n;
    }

    /// <summary>Normalised mutual information with the arithmetic-mean normalisation (scikit-learn's default).</summary>
    /// <remarks>NMI = I(Y; C) / ((H(Y) + H(C)) / 2), natural logarithms; 1 when both labellings are constant.</remarks>
    public static double NormalizedMutualInformation(IReadOnlyList<int> labels, IReadOnlyList<int> clusters)
    {
        var table = Contingency(labels, clusters, out int n);
        if (n == 0)
        {
            return 0;
        }

        int k = table.GetLength(0), c = table.GetLength(1);
        var rows = new double[k];
        var columns = new double[c];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < c; j++)
            {
                rows[i] += table[i, j];
                columns[j] += table[i, j];
            }
        }

        double mutual = 0;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < c; j++)
            {
                if (table[i, j] > 0)
                {
                    mutual += table[i, j] / n * Math.Log(table[i, j] * n / (rows[i] * columns[j]));
                }
            }
        }

        double hClusters = Entropy(rows, n), hLabels = Entropy(columns, n);
        double normaliser = (hClusters + hLabels) / 2;
        return normaliser <= 0 ? 1 : Math.Max(0, mutual) / normaliser;
    }

    /// <summary>The adjusted Rand index (Hubert and Arabie 1985).</summary>
    /// <remarks>
    /// ARI = (Σᵢⱼ C(nᵢⱼ, 2) − E) / (½(Σᵢ C(aᵢ, 2) + Σⱼ C(bⱼ, 2)) − E), E = Σᵢ C(aᵢ, 2) Σⱼ C(bⱼ, 2) / C(n, 2); 1 for
    /// identical partitions, about 0 for random ones.
    /// </remarks>
    public static double AdjustedRandIndex(IReadOnlyList<int> labels, IReadOnlyList<int> clusters)
    {
        var table = Contingency(labels, clusters, out int n);
        int k = table.GetLength(0), c = table.GetLength(1);
        double index = 0, sumRows = 0, sumColumns = 0;
        var columns = new double[c];
        for (int i = 0; i < k; i++)
        {
            double row = 0;
            for (int j = 0; j < c; j++)
            {
                index += Pairs(table[i, j]);
                row += table[i, j];
                columns[j] += table[i, j];
            }

            sumRows += Pairs(row);
        }

        foreach (double column in columns)
        {
            sumColumns += Pairs(column);
        }

        double total = Pairs(n);
        if (total == 0)
        {
            return 1;
        }

        double expected = sumRows * sumColumns / total;
        double maximum = (sumRows + sumColumns) / 2;
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }

    // Rows are clusters, columns are labels.
    private static double[,] Contingency(IReadOnlyList<int> labels, IReadOnlyList<int> clusters, out int n)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(clusters);
        if (labels.Count != clusters.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {clusters.Count} cluster assignments.", nameof(clusters));
        }

        n = labels.Count;
        int k = 0, c = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0 || clusters[i] < 0)
            {
                throw new ArgumentException($"Item {i}: labels and clusters must be 0 or more (got {labels[i]} and {clusters[i]}).", nameof(labels));
            }

            k = Math.Max(k, clusters[i] + 1);
            c = Math.Max(c, labels[i] + 1);
        }

        var table = new double[k, c];
        for (int i = 0; i < n; i++)
        {
            table[clusters[i], labels[i]]++;
        }

        return table;
    }

    private static double Entropy(double[] counts, int n)
    {
        double h = 0;
        foreach (double count in counts)
        {
            if (count > 0)
            {
                h -= count / n * Math.Log(count / n);
            }
        }

        return h;
    }

    private static double Pairs(double count) => count * (count - 1) / 2;
}

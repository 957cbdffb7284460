namespace Latent.Evaluation;

/// <summary>The assignment problem: the one-to-one matching of rows to columns with the largest total weight.</summary>
/// <remarks>
/// Kuhn–Munkres with potentials (the O(n³) shortest-augmenting-path form) on the square matrix padded with
/// zeros; maximising Σ w(i, π(i)) is minimising Σ −w(i, π(i)).
/// </remarks>
internal static class Hungarian
{
    /// <summary>
    /// For each row of <paramref name="weights"/> [rows, columns] its matched column (or −1 when there are more
    /// rows than columns and the row is left out), maximising the total weight.
    /// </summary>
    public static int[] MaximumWeightMatching(double[,] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        int rows = weights.GetLength(0), columns = weights.GetLength(1);
        int n = Math.Max(rows, columns);
        var cost = new double[n + 1, n + 1];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                cost[i + 1, j + 1] = -weights[i, j];
            }
        }

        var u = new double[n + 1];
        var v = new double[n + 1];
        var match = new int[n + 1];
        var way = new int[n + 1];
        for (int i = 1; i <= n; i++)
        {
            match[0] = i;
            int j0 = 0;
            var minimum = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(minimum, double.PositiveInfinity);
            do
            {
                used[j0] = true;
                int i0 = match[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= n; j++)
                {
                    if (!used[j])
                    {
                        double reduced = cost[i0, j] - u[i0] - v[j];
                        if (reduced < minimum[j])
                        {
                            minimum[j] = reduced;
                            way[j] = j0;
                        }

                        if (minimum[j] < delta)
                        {
                            delta = minimum[j];
                            j1 = j;
                        }
                    }
                }

                for (int j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[match[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minimum[j] -= delta;
                    }
                }

                j0 = j1;
            }
            while (match[j0] != 0);

            do
            {
                int j1 = way[j0];
                match[j0] = match[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        var assignment = new int[rows];
        Array.Fill(assignment, -1);
        for (int j = 1; j <= n; j++)
        {
            if (match[j] >= 1 && match[j] <= rows && j <= columns)
            {
                assignment[match[j] - 1] = j - 1;
            }
        }

        return assignment;
    }
}

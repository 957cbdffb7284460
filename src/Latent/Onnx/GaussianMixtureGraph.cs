using Latent.Classical;
using DataType = Latent.Onnx.Proto.TensorProto.Types.DataType;

namespace Latent.Onnx;

/// <summary>
/// The ONNX graph of a fitted Gaussian mixture: "probabilities" ([batch, k], <see cref="GaussianMixtureModel.PredictProba"/>),
/// "log_likelihood" (double [batch], <see cref="GaussianMixtureModel.ScoreSamples(Tensors.Tensor)"/>) and "label" (int64 [batch],
/// <see cref="GaussianMixtureModel.Predict"/>), for every covariance type.
/// </summary>
/// <remarks>
/// The rows are shifted by the model's offset in float, as the model does, then everything is in double:
/// lⱼ = log wⱼ + log N(x | μⱼ, Σⱼ), with log N = −½(d·ln 2π + ‖(x − μⱼ)·Uⱼ‖²) + Σ ln diag Uⱼ for Σⱼ⁻¹ = Uⱼ·Uⱼᵀ
/// (full: one MatMul by all Uⱼ side by side; tied: one U, then ‖y − μⱼU‖² expanded), and for diagonal and spherical
/// covariances −½Σ_c (x_c − μ_c)²·p_c = [x², x]·[−½p, μ∘p]ᵀ − ½Σμ²p. Then log p(x) = m + ln Σⱼ exp(lⱼ − m) with
/// m = maxⱼ lⱼ, and p(j | x) = exp(lⱼ − m) / Σ, exactly the model's normalisation.
/// </remarks>
internal static class GaussianMixtureGraph
{
    public const string Input = "input";
    public const string Probabilities = "probabilities";
    public const string LogLikelihood = "log_likelihood";
    public const string Label = "label";

    public static void Build(OnnxGraphBuilder graph, GaussianMixtureModel model)
    {
        var density = model.Density;
        int k = density.Components, d = density.Features;
        string input = graph.Input(Input, DataType.Float, d);
        string shifted = graph.Node("Sub", [input, graph.Constant("offset", density.Offset, d)]);
        string x = graph.Node("Cast", [shifted], [OnnxAttribute.Int("to", (long)DataType.Double)]);
        double halfLog2Pi = 0.5 * d * Math.Log(2 * Math.PI);
        var constants = new double[k];
        string logDensities = density.Type switch
        {
            CovarianceType.Full => Full(graph, density, x, constants, halfLog2Pi),
            CovarianceType.Tied => Tied(graph, density, x, constants, halfLog2Pi),
            _ => Diagonal(graph, density, x, constants, halfLog2Pi),
        };
        string log = graph.Node("Add", [logDensities, graph.Constant("log_weight_constants", constants, k)]);
        string max = graph.Node("ReduceMax", [log], [OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1)]);
        string exp = graph.Node("Exp", [graph.Node("Sub", [log, max])]);
        string axis1 = graph.Constant("axis_1", [1L], 1);
        string sum = graph.Node("ReduceSum", [exp, axis1], [OnnxAttribute.Int("keepdims", 1)]);
        string logSumExp = graph.Node("Add", [graph.Node("Log", [sum]), max]);
        string probabilities = graph.Node("Cast", [graph.Node("Div", [exp, sum])], [OnnxAttribute.Int("to", (long)DataType.Float)]);
        graph.Output(probabilities, Probabilities, DataType.Float, k);
        graph.Output(graph.Node("Squeeze", [logSumExp, axis1]), LogLikelihood, DataType.Double);
        graph.Output(graph.Node("ArgMax", [probabilities], [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0)]), Label, DataType.Int64);
    }

    // −½‖(x − μⱼ)·Uⱼ‖² for every j: [n, k]; constants get log wⱼ + log det Uⱼ − (d/2)·ln 2π.
    private static string Full(OnnxGraphBuilder graph, MixtureDensity density, string x, double[] constants, double halfLog2Pi)
    {
        int k = density.Components, d = density.Features;
        var matrix = new double[d * k * d];
        var shift = new double[k * d];
        for (int j = 0; j < k; j++)
        {
            double[] u = PrecisionFactor(density.Covariances.AsSpan(j * d * d, d * d), d, out double logDet);
            constants[j] = Math.Log(density.Weights[j]) + logDet - halfLog2Pi;
            for (int r = 0; r < d; r++)
            {
                u.AsSpan(r * d, d).CopyTo(matrix.AsSpan((r * k * d) + (j * d), d));
            }

            for (int c = 0; c < d; c++)
            {
                double s = 0;
                for (int r = 0; r < d; r++)
                {
                    s += density.Means[(j * d) + r] * u[(r * d) + c];
                }

                shift[(j * d) + c] = s;
            }
        }

        string y = graph.Node("Sub", [graph.Node("MatMul", [x, graph.Constant("precision_factors", matrix, d, k * d)]), graph.Constant("mean_factors", shift, k * d)]);
        string blocks = graph.Node("Reshape", [y, graph.Constant("blocks", [0L, k, d], 3)]);
        string squares = graph.Node("ReduceSum", [graph.Node("Mul", [blocks, blocks]), graph.Constant("axis_2", [2L], 1)], [OnnxAttribute.Int("keepdims", 0)]);
        return HalfNegative(graph, squares);
    }

    // −½‖x·U − μⱼ·U‖² = −½‖y‖² + y·sⱼ − ½‖sⱼ‖² (the last in the constants).
    private static string Tied(OnnxGraphBuilder graph, MixtureDensity density, string x, double[] constants, double halfLog2Pi)
    {
        int k = density.Components, d = density.Features;
        double[] u = PrecisionFactor(density.Covariances, d, out double logDet);
        var shifts = new double[d * k];
        for (int j = 0; j < k; j++)
        {
            double norm = 0;
            for (int c = 0; c < d; c++)
            {
                double s = 0;
                for (int r = 0; r < d; r++)
                {
                    s += density.Means[(j * d) + r] * u[(r * d) + c];
                }

                shifts[(c * k) + j] = s;
                norm += s * s;
            }

            constants[j] = Math.Log(density.Weights[j]) + logDet - halfLog2Pi - (0.5 * norm);
        }

        string y = graph.Node("MatMul", [x, graph.Constant("precision_factor", u, d, d)]);
        string squares = graph.Node("ReduceSum", [graph.Node("Mul", [y, y]), graph.Constant("axis_1_sum", [1L], 1)], [OnnxAttribute.Int("keepdims", 1)]);
        string cross = graph.Node("MatMul", [y, graph.Constant("mean_factors", shifts, d, k)]);
        return graph.Node("Add", [HalfNegative(graph, squares), cross]);
    }

    // [x², x]·[−½p, μ∘p]ᵀ; constants get log wⱼ + ½Σ ln p − (d/2)·ln 2π − ½Σμ²p.
    private static string Diagonal(OnnxGraphBuilder graph, MixtureDensity density, string x, double[] constants, double halfLog2Pi)
    {
        int k = density.Components, d = density.Features;
        var quadratic = new double[d * k];
        var linear = new double[d * k];
        for (int j = 0; j < k; j++)
        {
            double logDet = 0, meanTerm = 0;
            for (int c = 0; c < d; c++)
            {
                double variance = density.Type == CovarianceType.Diagonal ? density.Covariances[(j * d) + c] : density.Covariances[j];
                double p = 1 / variance, mu = density.Means[(j * d) + c];
                quadratic[(c * k) + j] = -0.5 * p;
                linear[(c * k) + j] = mu * p;
                logDet += 0.5 * Math.Log(p);
                meanTerm += mu * mu * p;
            }

            constants[j] = Math.Log(density.Weights[j]) + logDet - halfLog2Pi - (0.5 * meanTerm);
        }

        string squares = graph.Node("MatMul", [graph.Node("Mul", [x, x]), graph.Constant("half_precisions", quadratic, d, k)]);
        return graph.Node("Add", [squares, graph.Node("MatMul", [x, graph.Constant("weighted_means", linear, d, k)])]);
    }

    private static string HalfNegative(OnnxGraphBuilder graph, string value) =>
        graph.Node("Mul", [value, graph.Constant(graph.Fresh("minus_half"), [-0.5])]);

    // U = (L⁻¹)ᵀ for Σ = L·Lᵀ, so that Σ⁻¹ = U·Uᵀ; log det U = −Σ ln Lᵢᵢ. (The model checked Σ when it was fitted or loaded.)
    private static double[] PrecisionFactor(ReadOnlySpan<double> covariance, int d, out double logDet)
    {
        double[] l = DenseMath.Cholesky(covariance, d) ?? throw new InvalidOperationException("A covariance of the mixture is not positive definite.");
        logDet = 0;
        for (int i = 0; i < d; i++)
        {
            logDet -= Math.Log(l[(i * d) + i]);
        }

        return DenseMath.Transpose(DenseMath.InvertLower(l, d), d, d);
    }
}

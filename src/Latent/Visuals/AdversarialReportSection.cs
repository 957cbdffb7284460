using Latent.Models;
using Latent.Training;

namespace Latent.Visuals;

/// <summary>One trained generative adversarial network's part of an HTML report.</summary>
/// <param name="Title">The section heading (e.g. "dcgan").</param>
/// <param name="Network">The trained network.</param>
/// <param name="History">Its training history (null: no curves); its per-epoch metrics are drawn (<see cref="EpochRecord.Metrics"/>).</param>
/// <param name="Metrics">Its measurements as named rows, e.g. <see cref="Evaluation.ModelEvaluation.Rows"/> or a run's eval.json (null: no metrics table).</param>
/// <param name="MetricsHeading">The metrics table's heading (e.g. "Metrics on mnist-10k (eval.json)").</param>
/// <param name="Training">Extra options to list (trainer settings, data), as name/value pairs.</param>
public sealed record AdversarialReportSection(
    string Title,
    AdversarialNetwork Network,
    TrainingHistory? History,
    IReadOnlyList<(string Name, string Value)>? Metrics,
    string MetricsHeading = "Metrics",
    IReadOnlyList<(string Name, string Value)>? Training = null);

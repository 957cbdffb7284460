using Latent.Data;
using Latent.Evaluation;
using Latent.Models;
using Latent.Training;

namespace Latent.Visuals;

/// <summary>One trained model's part of an HTML report: what it is, how it trained, what it draws and how it measures.</summary>
/// <param name="Title">The section heading (e.g. "VAE, 2-D latent").</param>
/// <param name="Model">The trained model.</param>
/// <param name="History">Its training history (null: no curves).</param>
/// <param name="Data">The evaluation data (pictures need an image shape; the scatter uses its labels).</param>
/// <param name="Evaluation">Its measurements on <paramref name="Data"/> (null: no metrics table).</param>
/// <param name="Training">Extra options to list (trainer settings, data), as name/value pairs.</param>
public sealed record ReportSection(
    string Title,
    Autoencoder Model,
    TrainingHistory? History,
    Dataset Data,
    ModelEvaluation? Evaluation,
    IReadOnlyList<(string Name, string Value)>? Training = null);

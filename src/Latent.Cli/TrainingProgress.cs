using System.Globalization;
using Latent.Models;
using Latent.Training;
using Spectre.Console;

namespace Latent.Cli;

/// <summary>
/// Shows training progress: a live Spectre.Console bar with the loss terms when the output is a terminal,
/// one plain line per epoch otherwise, nothing when quiet.
/// </summary>
internal sealed class TrainingProgress : ITrainingObserver
{
    /// <summary>The epoch metrics of a GAN's history (AdversarialTarget's names; a test holds them equal).</summary>
    internal static readonly (string Metric, string Label)[] AdversarialMetrics =
    [
        ("discriminator_loss", "D loss"), ("generator_loss", "G loss"), ("real_score", "D(x)"), ("fake_score", "D(G(z))"), ("information", "information"),
    ];

    private readonly TextWriter _output;
    private readonly bool _adversarial;
    private ProgressTask? _task;
    private int _stepsPerEpoch;
    private int _epochs;
    private double _running;
    private int _runningCount;

    private TrainingProgress(TextWriter output, bool adversarial)
    {
        _output = output;
        _adversarial = adversarial;
    }

    /// <summary>Runs <paramref name="train"/> with progress shown as the mode asks; a GAN's (<paramref name="adversarial"/>) shows its own numbers.</summary>
    public static T Run<T>(bool quiet, TextWriter output, Func<ITrainingObserver?, T> train, bool adversarial = false)
    {
        if (quiet)
        {
            return train(null);
        }

        var progress = new TrainingProgress(output, adversarial);
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return train(progress);
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                progress._task = context.AddTask("training", maxValue: 1);
                result = train(progress);
            });
        return result;
    }

    public void TrainingStarted(int firstEpoch, int epochs, int stepsPerEpoch)
    {
        _stepsPerEpoch = stepsPerEpoch;
        _epochs = epochs;
        if (_task is not null)
        {
            _task.MaxValue = Math.Max(1, (epochs - firstEpoch + 1) * stepsPerEpoch);
        }
    }

    public void StepCompleted(int epoch, int step, in LossTerms terms)
    {
        if (_task is null)
        {
            return;
        }

        _running += terms.Total;
        _runningCount++;
        _task.Increment(1);
        if (step % 10 == 0 || step == _stepsPerEpoch)
        {
            // A GAN's step reports only D + G; its parts are the epoch's metrics.
            _task.Description = _adversarial
                ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{_epochs} D+G loss {_running / _runningCount:F3}")
                : string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{_epochs} loss {_running / _runningCount:F3} rec {terms.Reconstruction:F3}{Extra(terms)}");
        }
    }

    public void EpochCompleted(EpochRecord record)
    {
        _running = 0;
        _runningCount = 0;
        string line = _adversarial
            ? string.Create(CultureInfo.InvariantCulture, $"epoch {record.Epoch,3} {DescribeAdversarial(record)}  {record.Seconds:F2} s")
            : Describe(record);
        if (_task is null)
        {
            _output.WriteLine(line);
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(line));
        }
    }

    public void TrainingEnded(TrainingHistory history, string reason)
    {
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }

        if (reason != "finished")
        {
            _output.WriteLine(reason);
        }
    }

    internal static string Describe(EpochRecord record)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch,3}  loss {record.Train.Total,10:F4}  rec {record.Train.Reconstruction,10:F4}{Extra(record.Train)}");
        if (record.Validation is { } v)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val {v.Total,10:F4}");
        }

        if (record.Metric(EpochRecord.PcaAngleMetric) is { } angle)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  angle to PCA {angle:F3}°");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $"  {record.Seconds:F2} s");
    }

    /// <summary>A GAN's epoch: D loss, G loss, D(x), D(G(z)) and, with codes, the information term.</summary>
    internal static string DescribeAdversarial(EpochRecord record)
    {
        var text = new System.Text.StringBuilder();
        foreach ((string metric, string label) in AdversarialMetrics)
        {
            if (record.Metric(metric) is { } value)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {label} {value:F4}");
            }
        }

        return text.ToString();
    }

    private static string Extra(LossTerms terms)
    {
        string text = string.Empty;
        if (terms.Kl != 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  kl {terms.Kl:F4}");
        }

        if (terms.Mmd != 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  mmd {terms.Mmd:F4}");
        }

        if (terms.Sparsity != 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  sparsity {terms.Sparsity:F4}");
        }

        return text;
    }
}

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
    private readonly TextWriter _output;
    private ProgressTask? _task;
    private int _stepsPerEpoch;
    private int _epochs;
    private double _running;
    private int _runningCount;

    private TrainingProgress(TextWriter output)
    {
        _output = output;
    }

    /// <summary>Runs <paramref name="train"/> with progress shown as the mode asks.</summary>
    public static T Run<T>(bool quiet, TextWriter output, Func<ITrainingObserver?, T> train)
    {
        if (quiet)
        {
            return train(null);
        }

        var progress = new TrainingProgress(output);
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
            _task.Description = string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{_epochs} loss {_running / _runningCount:F3} rec {terms.Reconstruction:F3}{Extra(terms)}");
        }
    }

    public void EpochCompleted(EpochRecord record)
    {
        _running = 0;
        _runningCount = 0;
        string line = Describe(record);
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

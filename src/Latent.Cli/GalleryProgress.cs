using Latent.Gallery;
using Latent.Models;
using Latent.Training;
using Spectre.Console;

namespace Latent.Cli;

/// <summary>
/// The gallery's progress: two live bars when the output is a terminal (the figures done, and the current
/// figure's stage or training steps), one plain line per stage otherwise, nothing when quiet.
/// </summary>
internal sealed class GalleryProgress : IGalleryProgress, ITrainingObserver
{
    private readonly int _figures;
    private ProgressTask? _overall;
    private ProgressTask? _current;
    private string _figure = string.Empty;
    private string _part = string.Empty;
    private int _done;
    private int _epochs;

    private GalleryProgress(int figures)
    {
        _figures = figures;
    }

    /// <summary>Runs <paramref name="work"/> with progress shown as the mode asks.</summary>
    public static T Run<T>(bool quiet, int figures, Func<IGalleryProgress?, T> work)
    {
        if (quiet)
        {
            return work(null);
        }

        var progress = new GalleryProgress(figures);
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return work(progress);
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                progress._overall = context.AddTask("gallery", maxValue: figures);
                progress._current = context.AddTask("starting", maxValue: 1);
                result = work(progress);
            });
        return result;
    }

    public void Stage(string figureId, string stage, double fraction)
    {
        _figure = figureId;
        if (_overall is null)
        {
            Console.Out.WriteLine($"[{Math.Min(_done + 1, _figures)}/{_figures}] {figureId}: {stage}");
            return;
        }

        _overall.Value = _done;
        _overall.Description = Markup.Escape($"gallery {_done}/{_figures}: {figureId}");
        _current!.MaxValue = 1;
        _current.Value = Math.Clamp(fraction, 0, 1);
        _current.Description = Markup.Escape(stage);
    }

    public void Finished(string figureId, string? error)
    {
        _done++;
        if (_overall is null)
        {
            Console.Out.WriteLine($"[{_done}/{_figures}] {figureId}: {(error is null ? "done" : "failed: " + error)}");
        }
        else
        {
            _overall.Value = _done;
        }
    }

    public ITrainingObserver? Training(string figureId, string part)
    {
        _figure = figureId;
        _part = part;
        return this;
    }

    public void TrainingStarted(int firstEpoch, int epochs, int stepsPerEpoch)
    {
        _epochs = epochs;
        if (_current is not null)
        {
            _current.MaxValue = Math.Max(1, (epochs - firstEpoch + 1) * stepsPerEpoch);
            _current.Value = 0;
            _current.Description = Markup.Escape($"{_figure}: training {_part}");
        }
    }

    public void StepCompleted(int epoch, int step, in LossTerms terms) => _current?.Increment(1);

    public void EpochCompleted(EpochRecord record)
    {
        if (_current is not null)
        {
            _current.Description = Markup.Escape($"{_figure}: training {_part}, epoch {record.Epoch}/{_epochs}");
        }
        else if (record.Epoch == _epochs || record.Epoch % 10 == 0)
        {
            Console.Out.WriteLine($"    {_part}: {TrainingProgress.Describe(record)}");
        }
    }
}

using Spectre.Console;

namespace Latent.Cli;

/// <summary>
/// Progress of a staged job (evaluation, report): a live Spectre.Console bar when the output is a terminal,
/// one plain line per stage otherwise, nothing when quiet.
/// </summary>
internal static class StageProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports (stage, fraction done) through its argument.</summary>
    public static T Run<T>(bool quiet, string title, Func<Action<string, double>, T> work)
    {
        if (quiet)
        {
            return work((_, _) => { });
        }

        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            string last = string.Empty;
            return work((stage, _) =>
            {
                if (stage != last)
                {
                    last = stage;
                    Console.Out.WriteLine($"{title}: {stage}");
                }
            });
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: 1);
                result = work((stage, fraction) =>
                {
                    task.Description = $"{title}: {Markup.Escape(stage)}";
                    task.Value = Math.Clamp(fraction, 0, 1);
                });
                task.Value = 1;
            });
        return result;
    }
}

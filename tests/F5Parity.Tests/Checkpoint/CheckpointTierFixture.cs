using F5Parity.CheckpointTier;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Search;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// The checkpoint tier's collection fixture: loads the configuration named by F5PARITY_CONFIG (relative paths
/// against the directory `dotnet test` was started from, <see cref="ConfigLocator"/>), runs the whole diagnosis once,
/// writes the bundle and the job summary, and hands the rows to the tests. Without F5PARITY_CONFIG every row skips
/// with the reason (the default `dotnet test` tests F5Parity itself; <see cref="CheckpointRowsTests"/> proves the rows).
/// </summary>
public sealed class CheckpointTierFixture : IDisposable
{
    readonly Diagnoser? diagnoser;

    public CheckpointTierFixture()
    {
        var env = ConfigLocator.Environment();
        DiagnosisConfig? config;
        (string? Run, string? Infer, string? Dataset) runFiles;
        try
        {
            runFiles = ConfigLocator.RunFiles(env, AppContext.BaseDirectory);
            config = runFiles.Run is null ? ConfigLocator.Load(env, AppContext.BaseDirectory) : null;
        }
        catch (F5Parity.Errors.F5ParityInputException e) { SkipReason = null; LoadError = e.Message; return; }
        if (config is null && runFiles.Run is null)
        {
            SkipReason = $"neither {ConfigLocator.RunVariable} nor {DiagnosisConfig.ConfigVariable} is set: the checkpoint tier runs on the run folder or configuration they name (README, \"Test your checkpoint\")";
            return;
        }
        Start = ConfigLocator.StartDirectory(env, AppContext.BaseDirectory);
        string start = Start;
        DiagnosisConfig Adjust(DiagnosisConfig c) => Profile.Apply(env.GetValueOrDefault(Profile.Variable), c with { Out = Path.GetFullPath(c.Out, start) });
        if (runFiles.Run is string run)
        {
            // the run's own files, searched (diagnose --run); F5PARITY_CONFIG, when set, adds explicit settings
            try
            {
                using (F5Parity.Progress.ConsoleProgress.ForDiagnosis().Start())
                    RunResult = RunDiagnosis.Run(run, runFiles.Dataset, runFiles.Infer, ConfigLocator.ConfigFile(env, AppContext.BaseDirectory),
                        env, Start, Console.WriteLine, Adjust, Profile.Ladder(env.GetValueOrDefault(Profile.Variable)));
            }
            catch (F5Parity.Errors.F5ParityInputException e) { LoadError = e.Message; return; }
            diagnoser = RunResult.Diagnoser;
            Config = RunResult.Used;
            Report = RunResult.Report;
        }
        else
        {
            Config = Adjust(config!);
            var ladder = Profile.Ladder(env.GetValueOrDefault(Profile.Variable));
            diagnoser = new Diagnoser(Config, log: Console.WriteLine) { LadderStrategy = ladder };
            using (F5Parity.Progress.ConsoleProgress.ForDiagnosis(ladder).Start())
                Report = diagnoser.Run();
        }
        config = Config;
        try
        {
            ReportWriter.Write(Report, config.Out, force: false);
            Bundle = config.Out;
        }
        catch (Exception e) when (e is IOException or F5Parity.Errors.F5ParityInputException) { BundleError = e.Message; }
        if (RunResult is not null && Bundle is not null)
        {
            File.AppendAllText(Path.Combine(Bundle, "report.md"), RunResult.Section());
            RunSearchJson.AddTo(Bundle, RunResult.Searched, Report.TrainerRun.Metric(Report.MetricId)?.Score);
        }
        Rows = CheckpointRows.All(Report, Bundle, RunResult?.Searched);
        JobSummary.Append(env, JobSummary.ToMarkdown(Name, Report, Rows, Bundle));
    }

    public string? SkipReason { get; }
    public string? LoadError { get; }
    public string? BundleError { get; }
    public DiagnosisConfig? Config { get; }
    public string Start { get; } = "";
    public DiagnosisReport? Report { get; }

    /// <summary>The run-folder diagnosis (F5PARITY_RUN), with its setup search; null for a configuration file.</summary>
    public RunDiagnosis? RunResult { get; }
    public string? Bundle { get; }
    public IReadOnlyList<CheckpointRow> Rows { get; } = [];

    /// <summary>The checkpoint's name (its file name without extension): the default golden folder's name.</summary>
    public string Name => Config is null ? "" : Path.GetFileNameWithoutExtension(Config.InferenceCheckpoint ?? Config.Checkpoint);

    public CheckpointRow Row(string id) => Rows.Single(r => r.Id == id);

    /// <summary>Skips when no configuration is set, fails on a bad configuration, else asserts the row.</summary>
    public void Assert(string id)
    {
        Skip.If(SkipReason is not null, SkipReason);
        if (LoadError is not null) throw new Xunit.Sdk.XunitException($"configuration: {LoadError}");
        var row = Row(id);
        Skip.If(row.State == RowState.Skip, row.Message);
        if (row.Red) throw new Xunit.Sdk.XunitException(row.Message);
        Console.WriteLine(row.Message);
    }

    public void Dispose() => diagnoser?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CheckpointTierCollection : ICollectionFixture<CheckpointTierFixture>
{
    public const string Name = "checkpoint tier";
}

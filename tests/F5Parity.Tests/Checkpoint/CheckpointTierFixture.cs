using F5Parity.CheckpointTier;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Reporting;

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
        try { config = ConfigLocator.Load(env, AppContext.BaseDirectory); }
        catch (F5Parity.Errors.F5ParityInputException e) { SkipReason = null; LoadError = e.Message; return; }
        if (config is null)
        {
            SkipReason = $"{DiagnosisConfig.ConfigVariable} is not set: the checkpoint tier runs on the configuration it names (README, \"Test your checkpoint\")";
            return;
        }
        Start = ConfigLocator.StartDirectory(env, AppContext.BaseDirectory);
        config = Profile.Apply(env.GetValueOrDefault(Profile.Variable), config with { Out = Path.GetFullPath(config.Out, Start) });
        Config = config;
        diagnoser = new Diagnoser(config, log: Console.WriteLine) { LadderStrategy = Profile.Ladder(env.GetValueOrDefault(Profile.Variable)) };
        using (F5Parity.Progress.ConsoleProgress.ForDiagnosis(Profile.Ladder(env.GetValueOrDefault(Profile.Variable))).Start())
            Report = diagnoser.Run();
        try
        {
            ReportWriter.Write(Report, config.Out, force: false);
            Bundle = config.Out;
        }
        catch (Exception e) when (e is IOException or F5Parity.Errors.F5ParityInputException) { BundleError = e.Message; }
        Rows = CheckpointRows.All(Report, Bundle);
        JobSummary.Append(env, JobSummary.ToMarkdown(Name, Report, Rows, Bundle));
    }

    public string? SkipReason { get; }
    public string? LoadError { get; }
    public string? BundleError { get; }
    public DiagnosisConfig? Config { get; }
    public string Start { get; } = "";
    public DiagnosisReport? Report { get; }
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

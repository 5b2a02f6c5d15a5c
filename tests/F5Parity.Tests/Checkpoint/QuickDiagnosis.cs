using F5Parity.CheckpointTier;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// One diagnosis of the embedded default (fixtures/diagnose-default.json, the stale-EMA fine-tune: verdict <c>ema</c>)
/// under the <c>quick</c> profile, as <c>F5PARITY_PROFILE=quick</c> runs it (8 NFE, one draw, the ladder bisected), run
/// once and shared by the tests that read a known diagnosis; its bundle is written to artifacts/quick-diagnosis/.
/// </summary>
public static class QuickDiagnosis
{
    static readonly Lazy<DiagnosisReport> ReportLazy = new(Run);

    public static DiagnosisConfig Config { get; } = Profile.Apply("quick",
        DiagnosisConfig.Load(Path.Combine(RepoPaths.Fixtures, "diagnose-default.json"), new Dictionary<string, string?>(), RepoPaths.Root)
        with { Out = Path.Combine(RepoPaths.Artifacts, "quick-diagnosis") });

    public static DiagnosisReport Report => ReportLazy.Value;

    public static string Bundle => Config.Out;

    static DiagnosisReport Run()
    {
        using var diagnoser = new Diagnoser(Config) { LadderStrategy = Profile.Ladder("quick") };
        var report = diagnoser.Run();
        ReportWriter.Write(report, Config.Out);
        return report;
    }
}

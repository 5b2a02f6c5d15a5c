using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>One rung: the difference flipped to reach it (null for rung 0, the trainer run), its run, and how far its mel moved from the previous rung.</summary>
public sealed record LadderRung(int Index, PathDifference? Flipped, bool Changed, RunResult Result, Effect? StepEffect, string MetricId)
{
    public string Id => Flipped?.Id ?? "trainer";
    public QualityMeasurement? Quality => Result.Metric(MetricId);
}

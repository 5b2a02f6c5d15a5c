using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>How serious a static finding is: ok, info (worth knowing), warning (likely harmful), error (upstream fails or garbage is certain).</summary>
public enum Severity { Ok, Info, Warning, Error }

/// <summary>
/// One check made without sampling. <see cref="Check"/> is a stable id (report.json), <see cref="Hypothesis"/> the
/// theory it bears on, <see cref="Values"/> the numbers behind the message.
/// </summary>
public sealed record StaticFinding(string Check, Severity Severity, string Message, string? Hypothesis = null,
    IReadOnlyDictionary<string, double>? Values = null);

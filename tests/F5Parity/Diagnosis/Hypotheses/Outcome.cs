using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>What a hypothesis test found. The strings (kebab-case) are what report.json holds.</summary>
public enum Outcome
{
    /// <summary>Control good, treatment bad, and the score fell by at least the stated minimum: this difference breaks it.</summary>
    Implicated,
    /// <summary>Control good, score fell by at least the minimum, treatment still good (or the fall did not cross the threshold).</summary>
    Weakens,
    /// <summary>Control good and the score fell less than the minimum.</summary>
    NotImplicated,
    /// <summary>The treatment's mel equals the control's (within the stated tolerance): this difference changes nothing here.</summary>
    NoEffect,
    /// <summary>The control is not good, so a fall cannot be judged; the effect size is still reported.</summary>
    Inconclusive,
    /// <summary>No metric could judge the runs (e.g. no ground truth of the text); the effect size is still reported.</summary>
    Unmeasured,
    /// <summary>The treatment failed to run (e.g. upstream would fail loudly too: vocab size mismatch).</summary>
    Error,
    /// <summary>The configuration lacks what the hypothesis needs.</summary>
    NotRun,
}

public static class OutcomeNames
{
    public static string ToId(this Outcome o) => o switch
    {
        Outcome.Implicated => "implicated",
        Outcome.Weakens => "weakens",
        Outcome.NotImplicated => "not-implicated",
        Outcome.NoEffect => "no-effect",
        Outcome.Inconclusive => "inconclusive",
        Outcome.Unmeasured => "unmeasured",
        Outcome.Error => "error",
        _ => "not-run",
    };
}

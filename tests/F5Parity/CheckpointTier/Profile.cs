using F5Parity.Errors;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;

namespace F5Parity.CheckpointTier;

/// <summary>
/// How much sampling a diagnosis spends. <c>full</c> runs the configuration as stated. <c>quick</c>, for CPU users,
/// samples at most <see cref="QuickNfe"/> NFE steps on both paths and one noise draw: upstream's Euler sampler at 8
/// steps is the trainer fixtures' own setting and keeps a good/garbage verdict, at a quarter of 32 steps' time; the
/// scores are then those of the shorter sampler, which the report states through the settings it echoes. Its ladder
/// bisects to the collapse rung (<see cref="LadderBisection"/>) instead of walking every rung.
/// Selected with <c>--profile</c> or <c>F5PARITY_PROFILE</c>.
/// </summary>
public static class Profile
{
    public const string Variable = "F5PARITY_PROFILE";
    public const int QuickNfe = 8;

    public static DiagnosisConfig Apply(string? profile, DiagnosisConfig config) => !IsQuick(profile) ? config : config with
    {
        Nfe = Math.Min(config.Nfe, QuickNfe),
        InferenceNfe = config.InferenceNfe is int n ? Math.Min(n, QuickNfe) : null,
        Seeds = 1,
    };

    /// <summary>How the profile samples the ladder: <c>quick</c> bisects, <c>full</c> walks every rung.</summary>
    public static LadderStrategy Ladder(string? profile) => IsQuick(profile) ? LadderStrategy.Bisect : LadderStrategy.Walk;

    static bool IsQuick(string? profile) => (profile ?? "full") switch
    {
        "full" => false,
        "quick" => true,
        var other => throw new ConfigurationException(Variable, $"unknown profile '{other}' (quick or full)"),
    };
}

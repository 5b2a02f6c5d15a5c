using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The outcome rules on hand-made runs whose scores sit on either side of the stated thresholds (the sampled theories
/// cannot reach "implicated" on the random default model, whose trainer run is not good). The verdict's ranking of
/// such outcomes: <see cref="VerdictRankingTests"/>.
/// </summary>
public sealed class OutcomeClassificationTests
{
    static readonly RunSpec Base = DiagnosisSession.Diagnoser.Paths.Trainer;

    static RunResult Run(RunSpec spec, double score, bool good, float melValue)
    {
        var output = new RunOutput(spec, full(100, 10, melValue), zeros(2304), 24_000, [], [], 20, 10, 0);
        return new RunResult(spec, output, [new QualityMeasurement("m", score, good, new Dictionary<string, double>())], null);
    }

    static Hypothesis H(string id) => HypothesisCatalogue.Get(id);

    [Theory]
    [InlineData(0.9, true, 0.5, false, Outcome.Implicated)]
    [InlineData(0.9, true, 0.85, false, Outcome.NotImplicated)] // crossed the threshold but fell < 10 %
    [InlineData(0.9, true, 0.7, true, Outcome.Weakens)]
    [InlineData(0.9, true, 0.88, true, Outcome.NotImplicated)]
    [InlineData(0.3, false, 0.1, false, Outcome.Inconclusive)]
    public void Outcome_follows_the_stated_thresholds(double c, bool cGood, double t, bool tGood, Outcome expected)
    {
        var control = Run(Base, c, cGood, -5f);
        var treatment = Run(Base with { UseEma = true }, t, tGood, -4f);
        HypothesisResult.Classify(H("ema"), control, treatment, "m", OutcomeThresholds.Default).Outcome.Should().Be(expected);
    }

    [Fact]
    public void Same_mel_is_no_effect_and_a_failed_treatment_is_an_error()
    {
        var control = Run(Base, 0.9, true, -5f);
        HypothesisResult.Classify(H("ema"), control, Run(Base with { UseEma = true }, 0.2, false, -5f), "m", OutcomeThresholds.Default)
            .Outcome.Should().Be(Outcome.NoEffect);
        var failed = new RunResult(Base with { UseEma = true }, null, [], "ConfigurationException: size mismatch");
        var r = HypothesisResult.Classify(H("ema"), control, failed, "m", OutcomeThresholds.Default);
        r.Outcome.Should().Be(Outcome.Error);
        r.Reason.Should().Contain("size mismatch");
    }
}

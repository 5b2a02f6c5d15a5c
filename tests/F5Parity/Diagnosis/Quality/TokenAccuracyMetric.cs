using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Text;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// Token accuracy of the generated mel against the tokens the target text should produce (score 0..1); good =
/// accuracy >= <see cref="GoodThreshold"/> (default 0.8). Needs an <see cref="ITokenAccuracyScorer"/>. The expected
/// tokens are the target text's code points unless <paramref name="expectedTokens"/> says otherwise (a codebook
/// fixture: the text as its dataset stored it, converted or raw). The score is positional (frame j against token j);
/// <c>edit_accuracy</c> beside it (when the scorer can decode) is shift-tolerant, so a report can tell tokens said a
/// few frames late from tokens not said at all.
/// </summary>
public sealed class TokenAccuracyMetric(ITokenAccuracyScorer scorer, double goodThreshold = 0.8,
    Func<RunSpec, IReadOnlyList<string>>? expectedTokens = null) : IQualityMetric
{
    readonly Func<RunSpec, IReadOnlyList<string>> _expected = expectedTokens ?? (s => PythonStr.CodePoints(s.TargetText));

    public string Id => "token-accuracy";
    public double GoodThreshold { get; } = goodThreshold;
    public string Description => $"codebook token accuracy of the generated mel against the target text's tokens as the dataset spells them (>= {GoodThreshold:0.##} = good; chance = 1 / vocab size)";

    public QualityMeasurement? Measure(RunOutput output)
    {
        var expected = _expected(output.Spec);
        double accuracy = scorer.TokenAccuracy(output.GenMel, expected);
        if (double.IsNaN(accuracy)) return null;
        var values = new Dictionary<string, double>
        {
            ["accuracy"] = accuracy, ["expected_tokens"] = expected.Count, ["frames"] = output.GenMel.shape[^1],
        };
        if (scorer.EditAccuracy(output.GenMel, expected) is double edit) values["edit_accuracy"] = edit;
        return new QualityMeasurement(Id, accuracy, accuracy >= GoodThreshold, values);
    }
}

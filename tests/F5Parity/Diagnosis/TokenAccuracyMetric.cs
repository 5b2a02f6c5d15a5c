using F5Parity.Text;

namespace F5Parity.Diagnosis;

/// <summary>
/// Token accuracy of the generated mel against the target text's code points (score 0..1); good =
/// accuracy >= <see cref="GoodThreshold"/> (default 0.8). Needs an <see cref="ITokenAccuracyScorer"/>.
/// </summary>
public sealed class TokenAccuracyMetric(ITokenAccuracyScorer scorer, double goodThreshold = 0.8) : IQualityMetric
{
    public string Id => "token-accuracy";
    public double GoodThreshold { get; } = goodThreshold;
    public string Description => $"codebook token accuracy of the generated mel against the target text (>= {GoodThreshold:0.##} = good)";

    public QualityMeasurement? Measure(RunOutput output)
    {
        var expected = PythonStr.CodePoints(output.Spec.TargetText);
        double accuracy = scorer.TokenAccuracy(output.GenMel, expected);
        return new QualityMeasurement(Id, accuracy, accuracy >= GoodThreshold, new Dictionary<string, double> { ["accuracy"] = accuracy });
    }
}

using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// The slot for a codebook language's token accuracy (tests/F5Parity/Fixtures/CodebookLanguage.cs):
/// how many of the expected tokens a generated mel (d, n) spells, from 0 to 1. Adapt it with
/// <see cref="TokenAccuracyScorer"/> (a delegate) when it lands.
/// </summary>
public interface ITokenAccuracyScorer
{
    double TokenAccuracy(Tensor generatedMel, IReadOnlyList<string> expectedTokens);

    /// <summary>
    /// A shift-tolerant companion of <see cref="TokenAccuracy"/>: 1 − edit distance between the tokens every generated
    /// frame spells and the expected tokens, over the expected count (floored at 0); null when the scorer cannot decode.
    /// A model that says the right tokens a few frames late scores low on position but high here.
    /// </summary>
    double? EditAccuracy(Tensor generatedMel, IReadOnlyList<string> expectedTokens) => null;
}

/// <summary>An <see cref="ITokenAccuracyScorer"/> from a delegate, e.g. <c>new TokenAccuracyScorer(language.TokenAccuracy)</c>.</summary>
public sealed class TokenAccuracyScorer(Func<Tensor, IReadOnlyList<string>, double> score) : ITokenAccuracyScorer
{
    public double TokenAccuracy(Tensor generatedMel, IReadOnlyList<string> expectedTokens) => score(generatedMel, expectedTokens);
}

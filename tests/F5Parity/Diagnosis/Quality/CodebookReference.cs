using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;
using F5Parity.Fixtures;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// Diagnosis of a codebook-language model fixture (fixtures/models/, <see cref="CodebookLanguage"/>): the language
/// the fixture speaks, named as <see cref="CodebookFixture"/> defines it ("L0": <see cref="CodebookFixture.Language"/>,
/// "L1": <see cref="CodebookFixture.FinetuneLanguage"/>, "E0": <see cref="CodebookFixture.EchoLanguage"/>), renders
/// the reference — the "dataset mel" of a training sentence, its tokens as the dataset stored them plus the joining
/// space a training pair puts after it — and scores every generated mel by <see cref="CodebookLanguage.TokenAccuracy"/> against the target text's tokens.
/// </summary>
public sealed class CodebookReference : ITokenAccuracyScorer
{
    /// <summary>The language names a configuration may give (<c>"codebook": "L1"</c>).</summary>
    public static readonly IReadOnlyList<string> Names = ["L0", "L1", "E0"];

    CodebookReference(CodebookLanguage language) => Language = language;

    /// <summary>The language the fixture was trained to speak.</summary>
    public CodebookLanguage Language { get; }

    /// <summary>The language named <paramref name="name"/> over the training vocab.</summary>
    public static CodebookReference Create(string name, Vocab trainingVocab) => new(name switch
    {
        "L0" => CodebookFixture.Language(trainingVocab),
        "L1" => CodebookFixture.FinetuneLanguage(trainingVocab),
        "E0" => CodebookFixture.EchoLanguage(trainingVocab), // the echo language of fixtures/models/config-fault
        _ => throw new ConfigurationException("codebook",
            $"unknown codebook language '{name}' (known: {string.Join(", ", Names)}; see CodebookFixture and fixtures/README.md)"),
    });

    /// <summary>The id a reference mel of this language and text is registered under.</summary>
    public string MelId(string refText) => MelIdFor(Language.Name, refText);

    /// <summary>The id of the reference mel of language <paramref name="name"/> speaking <paramref name="refText"/>.</summary>
    public static string MelIdFor(string name, string refText) => $"codebook {name}: {refText}";

    /// <summary>
    /// The reference mel (d, n): <paramref name="refText"/> tokenised the way the dataset stored it, plus the space
    /// that follows the reference in every training pair, one frame per token, noise from <paramref name="seed"/>.
    /// </summary>
    public Tensor RenderReference(string refText, TextProcessing datasetText, long seed)
    {
        var tokens = Runner.Tokenize(refText, datasetText);
        tokens.Add(" ");
        return Language.RenderMel(tokens, new Generator((ulong)seed));
    }

    /// <summary>
    /// Position-wise token accuracy over the expected tokens: generated frame j against expected token j; expected
    /// tokens the output has no frame for count as misses, frames after the last expected token are ignored
    /// (upstream pads the text with filler there).
    /// </summary>
    public double? EditAccuracy(Tensor generatedMel, IReadOnlyList<string> expectedTokens)
    {
        if (expectedTokens.Count == 0) return null;
        var decoded = Language.DecodeTokens(generatedMel);
        int distance = Metrics.EditDistance.Levenshtein(decoded, Language.Encode(expectedTokens));
        return Math.Max(0, 1 - (double)distance / expectedTokens.Count);
    }

    public double TokenAccuracy(Tensor generatedMel, IReadOnlyList<string> expectedTokens)
    {
        if (expectedTokens.Count == 0) return double.NaN;
        int k = (int)Math.Min(generatedMel.shape[^1], expectedTokens.Count);
        if (k == 0) return 0;
        using var head = generatedMel.narrow(1, 0, k);
        var (hits, _) = Language.TokenHits(head, expectedTokens.Take(k).ToList());
        return (double)hits / expectedTokens.Count;
    }
}

using System.Text;
using F5Parity.Errors;
using F5Parity.Metrics;
using F5Parity.Text;

namespace F5Parity.Pipelines;

/// <summary>
/// Checks a generation text before infer_process: empty text is an error (upstream has nothing to generate), text
/// with no letters or digits is an error too (nothing to speak, and no reference for an error rate); tokens the
/// vocab lacks and chunks that exceed <c>max_chars</c> (a sentence with no punctuation to split at) are reported.
/// </summary>
public static class GenTextCheck
{
    /// <summary>Diagnostics for <paramref name="genText"/>: one readable line each, empty when all is well.</summary>
    /// <exception cref="TextInputException">the text is empty or has nothing speakable.</exception>
    public static IReadOnlyList<string> Check(string genText, Vocab vocab, int maxChars, string source = "gen_text")
    {
        if (string.IsNullOrWhiteSpace(genText))
            throw new TextInputException(source, "empty text: nothing to generate (upstream's chunk_text returns no batch)");
        if (!genText.EnumerateRunes().Any(r => Rune.IsLetterOrDigit(r)))
            throw new TextInputException(source,
                $"'{genText}' has no letter or digit: nothing to speak, and its normalised transcript '{TextNormalizer.Normalize(genText)}' is empty, so no error rate can be measured");
        var notes = new List<string>();
        var unknown = vocab.UnknownTokens(genText);
        if (unknown.Count > 0)
            notes.Add($"{unknown.Count} character(s) not in the vocab {vocab.Path} map to id 0: {string.Join(" ", unknown.Select(PythonStr.Describe))}");
        foreach (var chunk in TextChunker.Chunk(genText, maxChars))
        {
            int bytes = Encoding.UTF8.GetByteCount(chunk);
            if (bytes > maxChars)
                notes.Add($"a chunk of {bytes} UTF-8 bytes exceeds max_chars = {maxChars}: it has no ';:,.!?' to split at, so upstream generates it in one piece");
        }
        return notes;
    }
}

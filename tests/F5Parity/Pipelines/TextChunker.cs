using System.Text;
using System.Text.RegularExpressions;

namespace F5Parity.Pipelines;

/// <summary>
/// Upstream's <c>chunk_text</c> (infer/utils_infer.py): split after <c>;:,.!?</c> followed by whitespace (or after
/// the full-width <c>；：，。！？</c>), then pack the pieces greedily into chunks of at most <c>max_chars</c> UTF-8 bytes,
/// adding a space after a piece whose last character is one byte, and stripping each chunk.
/// </summary>
public static class TextChunker
{
    static readonly Regex Splitter = new(@"(?<=[;:,.!?])\s+|(?<=[；：，。！？])", RegexOptions.Compiled);

    public static IReadOnlyList<string> Chunk(string text, int maxChars = 135)
    {
        var chunks = new List<string>();
        var current = "";
        foreach (var sentence in Splitter.Split(text))
        {
            if (sentence.Length == 0) continue;
            var piece = LastCharIsOneByte(sentence) ? sentence + " " : sentence;
            if (Bytes(current) + Bytes(sentence) <= maxChars) current += piece;
            else
            {
                if (current.Length > 0) chunks.Add(PyStrip(current));
                current = piece;
            }
        }
        if (current.Length > 0) chunks.Add(PyStrip(current));
        return chunks;
    }

    /// <summary><c>max_chars</c> as infer_process computes it from the reference (utils_infer.py).</summary>
    public static int MaxChars(string refText, double refSeconds, double speed) =>
        (int)(Bytes(refText) / refSeconds * (22 - refSeconds) * speed);

    static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    static bool LastCharIsOneByte(string s) => Encoding.UTF8.GetByteCount(s[^1..]) == 1 && !char.IsSurrogate(s[^1]);

    /// <summary>Python's str.strip(): removes Unicode whitespace at both ends.</summary>
    static string PyStrip(string s) => s.Trim();
}

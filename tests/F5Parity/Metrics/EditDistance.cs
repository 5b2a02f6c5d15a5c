namespace F5Parity.Metrics;

/// <summary>
/// Levenshtein distance (unit-cost insertions, deletions, substitutions) on characters and on words, and the error
/// rates built on it: CER = character edits / reference characters, WER = word edits / reference words. Characters
/// are Unicode scalar values (a character outside the BMP counts once); words are runs of text between white space.
/// Nothing is normalised here: pass both texts through <see cref="TextNormalizer"/> first when case and
/// punctuation should not count.
/// </summary>
public static class EditDistance
{
    /// <summary>Edits turning <paramref name="reference"/> into <paramref name="hypothesis"/>, character by character.</summary>
    public static int Characters(string reference, string hypothesis) => Levenshtein(Runes(reference), Runes(hypothesis));

    /// <summary>Edits turning <paramref name="reference"/> into <paramref name="hypothesis"/>, word by word.</summary>
    public static int Words(string reference, string hypothesis) => Levenshtein(SplitWords(reference), SplitWords(hypothesis));

    /// <summary>Character error rate: <see cref="Characters"/> / reference length. Can exceed 1 (long hypotheses).</summary>
    public static double Cer(string reference, string hypothesis)
    {
        var r = Runes(reference);
        if (r.Length == 0) throw new ArgumentException("the reference text is empty: an error rate needs at least one reference character", nameof(reference));
        return (double)Levenshtein(r, Runes(hypothesis)) / r.Length;
    }

    /// <summary>Word error rate: <see cref="Words"/> / reference word count. Can exceed 1 (long hypotheses).</summary>
    public static double Wer(string reference, string hypothesis)
    {
        var r = SplitWords(reference);
        if (r.Length == 0) throw new ArgumentException("the reference text has no words: an error rate needs at least one reference word", nameof(reference));
        return (double)Levenshtein(r, SplitWords(hypothesis)) / r.Length;
    }

    /// <summary>Levenshtein distance between two sequences, in O(|a|·|b|) time and O(|b|) memory.</summary>
    public static int Levenshtein<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var cmp = EqualityComparer<T>.Default;
        var prev = new int[b.Count + 1];
        var cur = new int[b.Count + 1];
        for (int j = 0; j <= b.Count; j++) prev[j] = j;
        for (int i = 1; i <= a.Count; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Count; j++)
            {
                int substitution = prev[j - 1] + (cmp.Equals(a[i - 1], b[j - 1]) ? 0 : 1);
                cur[j] = Math.Min(substitution, Math.Min(prev[j] + 1, cur[j - 1] + 1));
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Count];
    }

    internal static int[] Runes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.EnumerateRunes().Select(r => r.Value).ToArray();
    }

    internal static string[] SplitWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }
}

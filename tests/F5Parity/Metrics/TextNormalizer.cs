using System.Globalization;
using System.Text;

namespace F5Parity.Metrics;

/// <summary>
/// Puts a transcript and its reference on equal footing before <see cref="EditDistance"/> or
/// <see cref="SequenceMatcher"/> compare them: Unicode NFC (so a decomposed "a" + combining tilde equals "ã"),
/// lower case (culture-invariant: "Ô" becomes "ô", "Ç" becomes "ç"), every punctuation character (Unicode categories
/// P*) and control/format character replaced by a space, runs of white space collapsed to one space, ends trimmed.
/// Letters with diacritics are letters, so Portuguese text keeps its accents and cedillas unless
/// <c>foldAccents</c> asks to drop them (NFD, remove non-spacing marks, NFC again: "ação" becomes "acao").
/// Digits and symbols (categories S*: +, =, $) are kept: they carry meaning a speaker says aloud. Unicode files "%"
/// under punctuation, so it is stripped.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text, bool foldAccents = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        if (foldAccents) s = FoldAccents(s);

        var sb = new StringBuilder(s.Length);
        bool pendingSpace = false;
        foreach (var rune in s.EnumerateRunes())
        {
            if (IsSeparator(rune))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    /// <summary>Removes diacritics: NFD, drop non-spacing marks (category Mn), recompose with NFC.</summary>
    public static string FoldAccents(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) sb.Append(rune.ToString());
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    static bool IsSeparator(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune)) return true;
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.ConnectorPunctuation:
            case UnicodeCategory.DashPunctuation:
            case UnicodeCategory.OpenPunctuation:
            case UnicodeCategory.ClosePunctuation:
            case UnicodeCategory.InitialQuotePunctuation:
            case UnicodeCategory.FinalQuotePunctuation:
            case UnicodeCategory.OtherPunctuation:
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
                return true;
            default:
                return false;
        }
    }
}

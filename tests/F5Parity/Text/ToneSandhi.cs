namespace F5Parity.Text;

/// <summary>
/// pypinyin's <c>ToneSandhiMixin.post_pinyin</c> (pypinyin/contrib/tone_sandhi.py), what <c>lazy_pinyin(...,
/// tone_sandhi=True)</c> applies to each word's readings: third-tone sandhi, then 不, then 一. Readings are TONE3
/// strings (tone digit last, none for the neutral tone); pypinyin works on TONE2, where the rules touch the same digit.
/// Reproduced as written there, including its quirks: the third-tone rule counts third tones anywhere in the word (not
/// only adjacent ones), and 一 before a fourth tone only has '4' replaced in its own reading (a no-op on "yi1").
/// </summary>
public static class ToneSandhi
{
    /// <summary>Applies the three rules to one word.</summary>
    /// <param name="han">the word's characters (one string per code point).</param>
    /// <param name="pinyin">its TONE3 readings, one per character; changed in place.</param>
    public static void Apply(IReadOnlyList<string> han, IList<string> pinyin)
    {
        if (han.Count != pinyin.Count) throw new ArgumentException("one reading per character expected", nameof(pinyin));
        ThirdTone(pinyin);
        Neighbour(han, pinyin, "不", finalDigit: '4');
        Neighbour(han, pinyin, "一", finalDigit: '1');
    }

    // _third_tone: two third tones → the first becomes second; more than two → all but the last become second.
    static void ThirdTone(IList<string> pinyin)
    {
        int third = pinyin.Count(p => p.Contains('3'));
        if (third < 2) return;
        int changed = 0, toChange = third == 2 ? 1 : third - 1;
        for (int i = 0; i < pinyin.Count && changed < toChange; i++)
        {
            if (!pinyin[i].Contains('3')) continue;
            pinyin[i] = pinyin[i].Replace('3', '2');
            changed++;
        }
    }

    // _bu / _yi: before a fourth tone the character's '4' becomes '2'; before anything else every digit becomes '4';
    // as the word's last character every digit becomes finalDigit ('4' for 不, '1' for 一).
    static void Neighbour(IReadOnlyList<string> han, IList<string> pinyin, string character, char finalDigit)
    {
        for (int i = 0; i < han.Count; i++)
        {
            if (han[i] != character) continue;
            if (i < han.Count - 1)
                pinyin[i] = pinyin[i + 1].Contains('4') ? pinyin[i].Replace('4', '2') : ReplaceDigits(pinyin[i], '4');
            else
                pinyin[i] = ReplaceDigits(pinyin[i], finalDigit);
        }
    }

    static string ReplaceDigits(string s, char digit) =>
        new(s.Select(c => char.IsAsciiDigit(c) ? digit : c).ToArray());
}

using F5Parity.Errors;

namespace F5Parity.Text;

/// <summary>
/// Upstream's <c>convert_char_to_pinyin(text_list, polyphone=True)</c> (model/utils.py): every text becomes a list of
/// tokens for <see cref="TextTokenizer.ListStrToIdx(IReadOnlyList{IReadOnlyList{string}}, Vocab)"/>.
/// <list type="number">
/// <item><see cref="CustomTranslate"/>: ';' → ',', '“' '”' → '"', '‘' '’' → '\''.</item>
/// <item>Segmentation with <see cref="JiebaCut.Cut"/>.</item>
/// <item>Per segment: pure ASCII (UTF-8 length = length) → a " " first if the output is non-empty, the segment has
/// more than one character and the last token is not " ", ":", "'" or '"', then each character; only 3-byte UTF-8
/// characters → <c>lazy_pinyin(seg, TONE3, tone_sandhi=True)</c>, each Chinese character (U+3100–U+9FFF) preceded by
/// " "; otherwise each character: ord &lt; 256 kept, Chinese → " " + its pinyin, anything else kept.</item>
/// </list>
/// No lower-casing, normalisation or trimming. Latin text needs no pinyin: accents and case survive, but a space is
/// inserted before an ASCII run of ≥ 2 characters that follows e.g. an accented letter ("açúcar" → "açú car").
/// <para>
/// Pinyin comes from a user-supplied <see cref="PinyinTable"/>; without one, a character that <c>lazy_pinyin</c>
/// would look up raises <see cref="TextInputException"/> naming it. Limits with a table: pypinyin splits a jieba segment
/// into words with its own phrase dictionary (mmseg) and applies tone sandhi per word; here words are the table's word
/// entries (longest match first), other characters are one-character words, so sandhi across characters happens only
/// inside a word the table lists (with "你好 ni3 hao3" listed, 你好 → ni2 hao3; with only 你 and 好, ni3 hao3).
/// Characters pypinyin has no reading for are returned unchanged by pypinyin; here they must be in the table.
/// </para>
/// </summary>
public static class CharToPinyin
{
    /// <summary>Which upstream <c>convert_char_to_pinyin</c>.</summary>
    public enum Version
    {
        /// <summary>The commit's (2ae2c9bd): <c>is_chinese</c> decides where a space and pinyin go.</summary>
        Current,
        /// <summary>
        /// The earlier one (a separate quote table named <c>god_knows_why_en_testset_contains_zh_quote</c>, no
        /// <c>is_chinese</c>), still in many forks and in datasets prepared before the change: every non-Latin-1 character
        /// that is not Chinese punctuation (。，、；：？！《》【】—…) gets a space before it — "10 € – já" keeps its
        /// spaces, "a–b" becomes "a – b"'s tokens without the second space, "R$ 5 •" → " •".
        /// </summary>
        Legacy,
    }

    /// <summary>The legacy converter's Chinese punctuation (a Python substring test: <c>c not in "…"</c>).</summary>
    const string LegacyZhPunctuation = "。，、；：？！《》【】—…";
    /// <summary>Upstream's <c>is_chinese</c>: U+3100 ≤ c ≤ U+9FFF.</summary>
    public static bool IsChinese(string c) => c.Length == 1 && c[0] is >= '\u3100' and <= '\u9FFF';

    /// <summary>
    /// pypinyin's <c>RE_HANS</c> (characters it looks pinyin up for), BMP part — the only part a 3-byte segment or an
    /// <see cref="IsChinese"/> character can reach: U+3007, U+E815–U+E864, U+FA18, U+3400–U+4DBF, U+4E00–U+9FFF,
    /// U+F900–U+FAFF (pypinyin 0.50+; older releases lack U+3007 and U+E815–U+E864).
    /// </summary>
    public static bool IsPypinyinHan(string c)
    {
        if (c.Length == 2 && char.IsSurrogatePair(c[0], c[1]))
        {
            int cp = char.ConvertToUtf32(c[0], c[1]);
            return cp is >= 0x20000 and <= 0x2A6DF or >= 0x2A703 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81D
                or >= 0x2B825 and <= 0x2BF6E or >= 0x2C029 and <= 0x2CE93 or 0x2D016 or >= 0x2D11B and <= 0x2EBD9
                or >= 0x2F80A and <= 0x2FA1F or >= 0x300F7 and <= 0x31288;
        }
        return c.Length == 1 && c[0] is '\u3007' or >= '\uE815' and <= '\uE864' or '\uFA18' or >= '\u3400' and <= '\u4DBF'
            or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF';
    }

    /// <summary>Upstream's <c>custom_trans</c>: <c>str.maketrans({";": ",", "“": '"', "”": '"', "‘": "'", "’": "'"})</c>.</summary>
    public static string CustomTranslate(string text) =>
        text.Replace(';', ',').Replace('\u201C', '"').Replace('\u201D', '"').Replace('\u2018', '\'').Replace('\u2019', '\'');

    /// <summary><c>convert_char_to_pinyin(text_list, polyphone)</c>.</summary>
    /// <param name="textList">the texts (upstream passes one: <c>[ref_text + gen_text]</c>).</param>
    /// <param name="table">pinyin for Chinese characters; null when the text has none.</param>
    /// <exception cref="TextInputException">a Chinese character with no table entry, or a lone surrogate (which upstream
    /// cannot encode to UTF-8).</exception>
    public static List<List<string>> Convert(IReadOnlyList<string> textList, PinyinTable? table = null, bool polyphone = true,
        Version version = Version.Current)
    {
        var result = new List<List<string>>(textList.Count);
        for (int t = 0; t < textList.Count; t++)
        {
            string source = $"convert_char_to_pinyin text_list[{t}]";
            string text = textList[t];
            int lone = PythonStr.IndexOfLoneSurrogate(text);
            if (lone >= 0)
                throw new TextInputException(source,
                    $"lone surrogate U+{(int)text[lone]:X4} at UTF-16 index {lone}: upstream's bytes(seg, \"UTF-8\") raises UnicodeEncodeError");
            result.Add(ConvertOne(CustomTranslate(text), table, polyphone, source, version));
        }
        return result;
    }

    static List<string> ConvertOne(string text, PinyinTable? table, bool polyphone, string source, Version version)
    {
        var charList = new List<string>();
        foreach (var seg in JiebaCut.Cut(text))
        {
            var chars = PythonStr.CodePoints(seg);
            int byteLen = PythonStr.Utf8Length(seg);
            if (byteLen == chars.Count)
            {
                // char_list[-1] not in " :'\"" is a substring test in Python.
                if (charList.Count > 0 && byteLen > 1 && !" :'\"".Contains(charList[^1], StringComparison.Ordinal))
                    charList.Add(" ");
                charList.AddRange(chars);
            }
            else if (polyphone && byteLen == 3 * chars.Count && version == Version.Legacy)
            {
                // every lazy_pinyin item (a syllable, or a run of characters without pinyin) gets a space first,
                // unless it is Chinese punctuation
                foreach (var item in LazyPinyin(chars, table, source))
                {
                    if (!LegacyZhPunctuation.Contains(item, StringComparison.Ordinal)) charList.Add(" ");
                    charList.Add(item);
                }
            }
            else if (polyphone && byteLen == 3 * chars.Count)
            {
                var pinyin = LazyPinyin(chars, table, source);
                for (int i = 0; i < chars.Count; i++)
                {
                    if (IsChinese(chars[i])) charList.Add(" ");
                    if (i >= pinyin.Count)
                        throw new TextInputException(source,
                            $"lazy_pinyin('{seg}') gave {pinyin.Count} item(s) for {chars.Count} characters: upstream's seg_[i] raises IndexError");
                    charList.Add(pinyin[i]);
                }
            }
            else
            {
                foreach (var c in chars)
                {
                    if (PythonStr.Ord(c) < 256) charList.Add(c);
                    else if (version == Version.Legacy)
                    {
                        if (LegacyZhPunctuation.Contains(c, StringComparison.Ordinal)) charList.Add(c);
                        else
                        {
                            charList.Add(" ");
                            charList.AddRange(LazyPinyin([c], table, source));
                        }
                    }
                    else if (IsChinese(c))
                    {
                        charList.Add(" ");
                        charList.AddRange(LazyPinyin([c], table, source));
                    }
                    else charList.Add(c);
                }
            }
        }
        return charList;
    }

    /// <summary>
    /// <c>lazy_pinyin(hans, style=Style.TONE3, tone_sandhi=True)</c> with the table for pypinyin's dictionaries:
    /// runs of characters without pinyin are returned as one item each (as pypinyin does); runs of Chinese characters
    /// are split into table words (longest first) and each word gets its readings and <see cref="ToneSandhi"/>.
    /// </summary>
    public static List<string> LazyPinyin(IReadOnlyList<string> hans, PinyinTable? table, string source)
    {
        var items = new List<string>();
        int i = 0;
        while (i < hans.Count)
        {
            bool han = IsPypinyinHan(hans[i]);
            int start = i;
            while (i < hans.Count && IsPypinyinHan(hans[i]) == han) i++;
            if (!han) { items.Add(string.Concat(hans.Skip(start).Take(i - start))); continue; }
            if (table is null)
                throw new TextInputException(source,
                    $"{PythonStr.Describe(hans[start])} needs pinyin (upstream's lazy_pinyin) but no pinyin table was given; pass a PinyinTable");
            int j = start;
            while (j < i)
            {
                var (word, readings) = LongestWord(hans, j, i, table, source);
                ToneSandhi.Apply(word, readings);
                items.AddRange(readings);
                j += word.Count;
            }
        }
        return items;
    }

    static (List<string> Word, List<string> Readings) LongestWord(IReadOnlyList<string> hans, int at, int end, PinyinTable table, string source)
    {
        for (int n = Math.Min(table.MaxWordLength, end - at); n >= 1; n--)
        {
            var word = hans.Skip(at).Take(n).ToList();
            if (table.TryGet(string.Concat(word), out var readings)) return (word, readings.ToList());
        }
        throw new TextInputException(source,
            $"{PythonStr.Describe(hans[at])} has no entry in the pinyin table {table.Source}; add it (TONE3, e.g. '好<TAB>hao3')");
    }
}

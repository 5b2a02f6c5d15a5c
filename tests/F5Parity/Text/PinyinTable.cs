using System.Text.RegularExpressions;
using F5Parity.Errors;

namespace F5Parity.Text;

/// <summary>
/// The pinyin dictionary that <c>convert_char_to_pinyin</c> gets from pypinyin (<c>PINYIN_DICT</c> for characters,
/// <c>PHRASES_DICT</c> for words), supplied by the user because no package registry serves it. Without a table the
/// converter refuses Chinese characters (<see cref="TextInputException"/>) instead of guessing.
/// <para>
/// File format (UTF-8, one entry per line, "#" starts a comment line, blank lines ignored):
/// <c>key&lt;TAB&gt;readings</c>. The key is one Chinese character or a word of several; the readings are one TONE3
/// syllable per character of the key, separated by spaces, in the citation tone (tone sandhi is applied by the
/// converter): letters a-z (ü written "v", as pypinyin's TONE3 output does), then the tone digit 1-4, no digit for the
/// neutral tone. A syllable may list alternatives separated by "," (as pypinyin's character table does); the first is
/// used, as <c>lazy_pinyin</c> does. Example: <c>好&lt;TAB&gt;hao3,hao4</c>, <c>你好&lt;TAB&gt;ni3 hao3</c>.
/// </para>
/// </summary>
public sealed class PinyinTable
{
    static readonly Regex Syllable = new(@"^[a-zê]+[1-4]?$", RegexOptions.CultureInvariant);

    readonly Dictionary<string, string[]> _entries;

    PinyinTable(string source, Dictionary<string, string[]> entries)
    {
        Source = source;
        _entries = entries;
        MaxWordLength = entries.Count == 0 ? 1 : entries.Keys.Max(PythonStr.Length);
    }

    /// <summary>Where the table came from (its file path), named in errors.</summary>
    public string Source { get; }

    /// <summary>Number of entries (characters and words).</summary>
    public int Count => _entries.Count;

    /// <summary>The longest key, in characters.</summary>
    public int MaxWordLength { get; }

    /// <exception cref="TextInputException">missing file or a malformed line (naming the file and line).</exception>
    public static PinyinTable Load(string path)
    {
        if (!File.Exists(path)) throw new TextInputException(path, "pinyin table not found");
        string text;
        try { text = File.ReadAllText(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (System.Text.DecoderFallbackException e) { throw new TextInputException(path, $"pinyin table is not valid UTF-8 ({e.Message})", e); }
        return Parse(path, text);
    }

    /// <summary>Parses table text; <paramref name="source"/> names it in errors.</summary>
    public static PinyinTable Parse(string source, string text)
    {
        var entries = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.StartsWith('#')) continue;
            string where = $"line {n + 1}";
            var parts = line.Split('\t');
            if (parts.Length != 2)
                throw new TextInputException(source, $"{where}: expected 'key<TAB>readings', found {parts.Length - 1} tab(s)");
            string key = parts[0];
            var chars = PythonStr.CodePoints(key);
            if (chars.Count == 0) throw new TextInputException(source, $"{where}: empty key");
            foreach (var c in chars)
                if (!CharToPinyin.IsPypinyinHan(c))
                    throw new TextInputException(source, $"{where}: {PythonStr.Describe(c)} is not a character pypinyin gives pinyin to (RE_HANS); the converter keeps such characters as they are");
            var syllables = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (syllables.Length != chars.Count)
                throw new TextInputException(source, $"{where}: '{key}' has {chars.Count} character(s) but {syllables.Length} reading(s)");
            var chosen = new string[syllables.Length];
            for (int i = 0; i < syllables.Length; i++)
            {
                foreach (var alt in syllables[i].Split(','))
                    if (!Syllable.IsMatch(alt))
                        throw new TextInputException(source,
                            $"{where}: reading '{alt}' of '{key}' is not a TONE3 syllable (letters a-z, ü written v, then a tone digit 1-4, none for the neutral tone)");
                chosen[i] = syllables[i].Split(',')[0];
            }
            if (!entries.TryAdd(key, chosen))
                throw new TextInputException(source, $"{where}: '{key}' is listed twice");
        }
        return new PinyinTable(source, entries);
    }

    /// <summary>The readings (one per character) of a character or word listed in the table.</summary>
    public bool TryGet(string key, out IReadOnlyList<string> readings)
    {
        bool found = _entries.TryGetValue(key, out var r);
        readings = r ?? [];
        return found;
    }
}

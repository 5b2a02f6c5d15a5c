using System.Buffers;
using System.Text.Unicode;
using F5Parity.Errors;

namespace F5Parity.Text;

/// <summary>
/// The <c>vocab_char_map</c> of upstream's <c>get_tokenizer</c> (model/utils.py), read exactly as Python reads it:
/// <c>open(path, "r", encoding="utf-8")</c> (universal newlines: "\r\n" and a lone "\r" both end a line; a BOM stays
/// part of the first key), then <c>for i, line in enumerate(f): vocab_char_map[line[:-1]] = i</c> — the last code point
/// of every line is dropped whatever it is, the id is the line number, and a repeated key keeps its last line's id.
/// <see cref="Size"/> is <c>len(vocab_char_map)</c>, what upstream passes as <c>text_num_embeds</c>.
/// </summary>
public sealed class Vocab
{
    readonly Dictionary<string, int> _ids;

    Vocab(string path, Dictionary<string, int> ids, int lineCount, IReadOnlyList<VocabQuirk> quirks)
    {
        Path = path;
        _ids = ids;
        LineCount = lineCount;
        Quirks = quirks;
    }

    /// <summary>The file this vocab was read from.</summary>
    public string Path { get; }

    /// <summary><c>len(vocab_char_map)</c> — upstream's <c>vocab_size</c> / <c>text_num_embeds</c>.</summary>
    public int Size => _ids.Count;

    /// <summary>How many lines <c>enumerate(f)</c> yielded (larger than <see cref="Size"/> when keys repeat).</summary>
    public int LineCount { get; }

    /// <summary>Every oddity found, in the order met.</summary>
    public IReadOnlyList<VocabQuirk> Quirks { get; }

    /// <summary>The map itself, key → id.</summary>
    public IReadOnlyDictionary<string, int> Ids => _ids;

    /// <summary>
    /// Reads a vocab.txt. <paramref name="requireSpaceAtZero"/> adds the check upstream's "pinyin"/"char" tokenizers
    /// make (<c>assert vocab_char_map[" "] == 0</c>); the "custom" path (what inference uses) does not check.
    /// </summary>
    /// <exception cref="VocabFormatException">missing file, invalid UTF-8 (with the byte offset), or — when required —
    /// " " missing or not at index 0.</exception>
    public static Vocab Load(string path, bool requireSpaceAtZero = false)
    {
        if (!File.Exists(path)) throw new VocabFormatException(path, "file not found");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException e) { throw new VocabFormatException(path, $"cannot be read ({e.Message})", e); }
        catch (UnauthorizedAccessException e) { throw new VocabFormatException(path, $"cannot be read ({e.Message})", e); }
        return Parse(path, bytes, requireSpaceAtZero);
    }

    /// <summary>Parses vocab.txt bytes; <paramref name="path"/> only names the source in errors and quirks.</summary>
    public static Vocab Parse(string path, ReadOnlySpan<byte> bytes, bool requireSpaceAtZero = false)
    {
        string text = DecodeStrictUtf8(path, bytes);
        var quirks = new List<VocabQuirk>();
        if (text.Length > 0 && text[0] == '\uFEFF')
            quirks.Add(new VocabQuirk(VocabQuirkKind.ByteOrderMark,
                "UTF-8 BOM at the start: Python's \"utf-8\" codec keeps U+FEFF, so it is part of the first key", [0]));

        var lines = SplitUniversalNewlines(text, out var crlfLines, out var loneCrLines);
        if (crlfLines.Count > 0)
            quirks.Add(new VocabQuirk(VocabQuirkKind.CrLfLineEnds,
                $"{crlfLines.Count} line(s) end in \\r\\n; universal newlines make them \\n, so keys carry no \\r", crlfLines));
        if (loneCrLines.Count > 0)
            quirks.Add(new VocabQuirk(VocabQuirkKind.LoneCarriageReturn,
                $"{loneCrLines.Count} line(s) end in a lone \\r, which universal newlines also treat as a line end", loneCrLines));

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var linesOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            string key = DropLastCodePoint(line);
            if (!line.EndsWith('\n'))
                quirks.Add(new VocabQuirk(VocabQuirkKind.NoFinalNewline,
                    $"last line {i} has no newline: line[:-1] drops its real last character {PythonStr.Describe(line[key.Length..])}, leaving the key '{Escape(key)}'",
                    [i], key));
            if (key.Length == 0)
                quirks.Add(new VocabQuirk(VocabQuirkKind.EmptyKey, $"line {i} is blank: it becomes the key \"\"", [i], key));
            ids[key] = i;
            if (!linesOf.TryGetValue(key, out var at)) linesOf[key] = at = [];
            at.Add(i);
        }
        foreach (var (key, at) in linesOf.Where(kv => kv.Value.Count > 1).OrderBy(kv => kv.Value[0]))
            quirks.Add(new VocabQuirk(VocabQuirkKind.DuplicateKey,
                $"key '{Escape(key)}' is on lines {string.Join(", ", at)}: it gets id {at[^1]} and the dictionary has {at.Count - 1} entr{(at.Count == 2 ? "y" : "ies")} fewer than lines",
                at, key));

        if (lines.Count == 0)
            quirks.Add(new VocabQuirk(VocabQuirkKind.EmptyFile, "the file has no lines: the vocabulary is empty", []));
        bool hasSpace = ids.TryGetValue(" ", out int spaceId);
        if (lines.Count > 0 && (!hasSpace || spaceId != 0))
            quirks.Add(new VocabQuirk(VocabQuirkKind.SpaceNotAtZero,
                hasSpace ? $"\" \" has id {spaceId}, not 0: unknown symbols get id 0, which is {DescribeId0(ids)}"
                         : "\" \" is not in the vocabulary: unknown symbols (id 0) are not spaces",
                hasSpace ? [spaceId] : [], " "));

        if (requireSpaceAtZero)
        {
            // upstream: assert vocab_char_map[" "] == 0 — a KeyError when " " is missing, an AssertionError otherwise.
            if (!hasSpace)
                throw new VocabFormatException(path, "\" \" is not in the vocabulary; the pinyin/char tokenizer requires it at index 0 (upstream raises KeyError)");
            if (spaceId != 0)
                throw new VocabFormatException(path, $"\" \" has id {spaceId}; the pinyin/char tokenizer requires it at index 0 because 0 is used for unknown symbols");
        }
        return new Vocab(path, ids, lines.Count, quirks);
    }

    /// <summary><c>vocab_char_map.get(token, 0)</c>: unknown tokens get 0 (the space, in a well-formed vocab).</summary>
    public int IdOf(string token) => _ids.GetValueOrDefault(token, 0);

    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>The tokens (distinct, in order of first appearance) that <see cref="IdOf"/> would map to 0 by default.</summary>
    public IReadOnlyList<string> UnknownTokens(IEnumerable<string> tokens)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return tokens.Where(t => !_ids.ContainsKey(t) && seen.Add(t)).ToList();
    }

    /// <summary>The unknown tokens of a plain string, iterated by code point as Python iterates a <c>str</c>.</summary>
    public IReadOnlyList<string> UnknownTokens(string text) => UnknownTokens(PythonStr.CodePoints(text));

    static string DecodeStrictUtf8(string path, ReadOnlySpan<byte> bytes)
    {
        var buffer = new char[bytes.Length];
        var status = Utf8.ToUtf16(bytes, buffer, out int read, out int written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done) return new string(buffer, 0, written);
        string what = status == OperationStatus.NeedMoreData ? "truncated UTF-8 sequence at the end" : "invalid UTF-8";
        throw new VocabFormatException(path,
            $"{what} at byte offset {read} (byte 0x{bytes[read]:X2}); upstream opens vocab.txt with encoding=\"utf-8\" and would raise UnicodeDecodeError");
    }

    /// <summary>
    /// Python text-mode line iteration with <c>newline=None</c>: "\r\n" and "\r" become "\n", and each line keeps its
    /// "\n" (the last one may have none).
    /// </summary>
    static List<string> SplitUniversalNewlines(string text, out List<int> crlfLines, out List<int> loneCrLines)
    {
        var lines = new List<string>();
        crlfLines = [];
        loneCrLines = [];
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') { crlfLines.Add(lines.Count); i++; }
                else loneCrLines.Add(lines.Count);
                c = '\n';
            }
            current.Append(c);
            if (c == '\n') { lines.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) lines.Add(current.ToString());
        return lines;
    }

    /// <summary><c>line[:-1]</c> on a non-empty line: drops the last code point (both halves of a surrogate pair).</summary>
    static string DropLastCodePoint(string line)
    {
        int n = line.Length;
        if (n >= 2 && char.IsSurrogatePair(line[n - 2], line[n - 1])) return line[..(n - 2)];
        return line[..(n - 1)];
    }

    static string DescribeId0(Dictionary<string, int> ids) =>
        ids.FirstOrDefault(kv => kv.Value == 0) is { Key: { } k } ? $"the key '{Escape(k)}'" : "no key (line 0 was overwritten by a duplicate)";

    static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\uFEFF", "\\ufeff");
}

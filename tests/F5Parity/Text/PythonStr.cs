using System.Text;

namespace F5Parity.Text;

/// <summary>
/// Python <c>str</c> semantics on .NET strings. Python iterates a <c>str</c> by code point while a .NET string holds
/// UTF-16 units, so every place where upstream writes <c>for c in text</c>, <c>len(text)</c>, <c>text[:-1]</c> or
/// <c>len(bytes(text, "UTF-8"))</c> goes through here: a surrogate pair is one element, as in Python.
/// </summary>
public static class PythonStr
{
    /// <summary>
    /// <c>list(text)</c>: one string per code point. A lone surrogate (which a Python <c>str</c> can hold too) is its
    /// own element, as Python yields it.
    /// </summary>
    public static List<string> CodePoints(string text)
    {
        var result = new List<string>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Add(text.Substring(i, 2));
                i++;
            }
            else result.Add(text[i].ToString());
        }
        return result;
    }

    /// <summary><c>len(text)</c>: the number of code points.</summary>
    public static int Length(string text)
    {
        int n = 0;
        for (int i = 0; i < text.Length; i++, n++)
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        return n;
    }

    /// <summary>
    /// Index (in UTF-16 units) of the first lone surrogate, or -1. Python cannot encode such a string to UTF-8
    /// (<c>bytes(seg, "UTF-8")</c> raises UnicodeEncodeError).
    /// </summary>
    public static int IndexOfLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return i;
            }
            if (char.IsLowSurrogate(text[i])) return i;
        }
        return -1;
    }

    /// <summary><c>len(bytes(text, "UTF-8"))</c> for a string without lone surrogates.</summary>
    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>The code point of a one-code-point string (<c>ord(c)</c>).</summary>
    public static int Ord(string c) => c.Length switch
    {
        1 => c[0],
        2 when char.IsSurrogatePair(c[0], c[1]) => char.ConvertToUtf32(c[0], c[1]),
        _ => throw new ArgumentException($"'{c}' is not a single code point", nameof(c)),
    };

    /// <summary>"U+XXXX 'c'" for error messages.</summary>
    public static string Describe(string c)
    {
        if (c.Length == 0) return "the empty string";
        return c.Length <= 2 && (c.Length == 1 || char.IsSurrogatePair(c[0], c[1]))
            ? $"U+{Ord(c):X4} '{c}'"
            : $"'{c}'";
    }
}

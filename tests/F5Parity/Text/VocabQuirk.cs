namespace F5Parity.Text;

/// <summary>What kind of oddity a vocab.txt has. None of them stops upstream; each changes what it builds.</summary>
public enum VocabQuirkKind
{
    /// <summary>A UTF-8 byte-order mark: Python's "utf-8" codec keeps U+FEFF, so it is part of the first key.</summary>
    ByteOrderMark,
    /// <summary>"\r\n" line ends: universal newlines turn them into "\n", so they do not reach the keys.</summary>
    CrLfLineEnds,
    /// <summary>A lone "\r": universal newlines make it a line end too, so it splits a line in two.</summary>
    LoneCarriageReturn,
    /// <summary>The last line has no newline: <c>line[:-1]</c> drops its real last character.</summary>
    NoFinalNewline,
    /// <summary>A key on several lines: the last line's index wins and the dictionary is smaller than the line count.</summary>
    DuplicateKey,
    /// <summary>A blank line: it becomes the key "" (the newline is what <c>line[:-1]</c> drops).</summary>
    EmptyKey,
    /// <summary>" " is not at index 0 (or missing): unknown symbols map to 0, which is then not the space.</summary>
    SpaceNotAtZero,
    /// <summary>No lines at all: an empty dictionary (size 0).</summary>
    EmptyFile,
}

/// <summary>
/// One oddity found while reading a vocab.txt. <paramref name="LineIndices"/> are 0-based line numbers (= the ids upstream
/// gives those lines); <paramref name="Key"/> is the key concerned, when there is one.
/// </summary>
public sealed record VocabQuirk(VocabQuirkKind Kind, string Detail, IReadOnlyList<int> LineIndices, string? Key = null)
{
    public override string ToString() => $"{Kind}: {Detail}";
}

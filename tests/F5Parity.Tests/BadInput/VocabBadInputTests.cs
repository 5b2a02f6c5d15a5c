using System.Text;
using F5Parity.Errors;
using F5Parity.Text;

namespace F5Parity.Tests.BadInput;

/// <summary>
/// Hand-edited vocab.txt files: what upstream silently does differently is reported as a <see cref="VocabQuirk"/>
/// naming the lines; what upstream cannot read at all raises <see cref="VocabFormatException"/> naming the file.
/// </summary>
public sealed class VocabBadInputTests : IClassFixture<BadInputFolder>
{
    readonly BadInputFolder _dir;
    public VocabBadInputTests(BadInputFolder dir) => _dir = dir;

    Vocab Load(string name, byte[] bytes, bool strict = false) => Vocab.Load(_dir.Write(name, bytes), strict);

    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Empty_vocab_is_reported_as_empty()
    {
        var v = Load("empty.txt", []);
        v.Size.Should().Be(0);
        v.Quirks.Should().ContainSingle(q => q.Kind == VocabQuirkKind.EmptyFile);
        var p = _dir.File("empty.txt");
        BadInputFolder.ExpectFault<VocabFormatException>(() => Vocab.Load(p, requireSpaceAtZero: true), p, "not in the vocabulary");
    }

    [Fact]
    public void Utf16_vocab_is_refused_with_the_byte_offset()
    {
        var p = _dir.Write("utf16.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(" \na\nb\n")]);
        BadInputFolder.ExpectFault<VocabFormatException>(() => Vocab.Load(p), p, "invalid UTF-8 at byte offset 0 \\(byte 0xFF\\)");
    }

    [Fact]
    public void Bom_becomes_part_of_the_first_key()
    {
        var v = Load("bom.txt", [0xEF, 0xBB, 0xBF, .. Utf8(" \na\n")]);
        v.Quirks.Select(q => q.Kind).Should().Contain([VocabQuirkKind.ByteOrderMark, VocabQuirkKind.SpaceNotAtZero]);
        v.Contains("\uFEFF ").Should().BeTrue("Python keeps U+FEFF in the first line");
        v.Contains(" ").Should().BeFalse();
    }

    [Fact]
    public void Crlf_line_ends_are_reported_and_not_part_of_keys()
    {
        var v = Load("crlf.txt", Utf8(" \r\na\r\nb\r\n"));
        v.Quirks.Should().ContainSingle(q => q.Kind == VocabQuirkKind.CrLfLineEnds).Which.LineIndices.Should().Equal(0, 1, 2);
        v.IdOf("b").Should().Be(2);
    }

    [Fact]
    public void No_final_newline_loses_the_last_character()
    {
        var v = Load("no-final-newline.txt", Utf8(" \na\nxy"));
        var q = v.Quirks.Should().ContainSingle(q => q.Kind == VocabQuirkKind.NoFinalNewline).Which;
        q.LineIndices.Should().Equal(2);
        q.Key.Should().Be("x");
        v.Contains("xy").Should().BeFalse();
    }

    [Fact]
    public void Duplicate_line_is_reported_with_both_line_numbers()
    {
        var v = Load("duplicate.txt", Utf8(" \na\nb\na\n"));
        v.Size.Should().Be(3);
        v.LineCount.Should().Be(4);
        var q = v.Quirks.Should().ContainSingle(q => q.Kind == VocabQuirkKind.DuplicateKey).Which;
        q.LineIndices.Should().Equal(1, 3);
        v.IdOf("a").Should().Be(3, "the last line wins, as in the Python dict");
    }

    [Fact]
    public void Space_not_at_index_zero_is_reported_and_refused_when_required()
    {
        var v = Load("space-at-1.txt", Utf8("a\n \nb\n"));
        v.Quirks.Should().ContainSingle(q => q.Kind == VocabQuirkKind.SpaceNotAtZero).Which.Detail.Should().Contain("\" \" has id 1");
        var p = _dir.File("space-at-1.txt");
        BadInputFolder.ExpectFault<VocabFormatException>(() => Vocab.Load(p, requireSpaceAtZero: true), p, "\" \" has id 1");
    }

    [Fact]
    public void Missing_vocab_file()
    {
        var p = _dir.File("absent-vocab.txt");
        BadInputFolder.ExpectFault<VocabFormatException>(() => Vocab.Load(p), p, "not found");
    }
}

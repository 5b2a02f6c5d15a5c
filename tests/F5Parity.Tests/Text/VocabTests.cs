using System.Text;
using F5Parity.Errors;
using F5Parity.Text;

namespace F5Parity.Tests.Text;

/// <summary>
/// <see cref="Vocab"/> reads vocab.txt byte for byte as upstream's <c>get_tokenizer</c> does: each quirk below changes
/// the map Python builds, and the port must build the same one (and say so in <see cref="Vocab.Quirks"/>).
/// </summary>
public sealed class VocabTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("f5parity-vocab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    static IEnumerable<VocabQuirkKind> Kinds(Vocab v) => v.Quirks.Select(q => q.Kind);

    [Fact]
    public void Plain_lf_file_maps_each_line_to_its_index()
    {
        var v = Vocab.Load(Write("plain.txt", " \na\nb\nça\n"), requireSpaceAtZero: true);
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, ["a"] = 1, ["b"] = 2, ["ça"] = 3 });
        v.Size.Should().Be(4);
        v.LineCount.Should().Be(4);
        v.Quirks.Should().BeEmpty();
    }

    [Fact]
    public void Crlf_line_ends_become_lf_so_keys_carry_no_carriage_return()
    {
        var v = Vocab.Load(Write("crlf.txt", " \r\na\r\nb\r\n"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, ["a"] = 1, ["b"] = 2 });
        v.Contains("a\r").Should().BeFalse();
        v.Quirks.Should().ContainSingle().Which.Should().Match<VocabQuirk>(q =>
            q.Kind == VocabQuirkKind.CrLfLineEnds && q.LineIndices.SequenceEqual(new[] { 0, 1, 2 }));
    }

    [Fact]
    public void A_lone_carriage_return_ends_a_line_too()
    {
        // Python's universal newlines: "a\rb\n" is two lines, "a\n" and "b\n".
        var v = Vocab.Load(Write("cr.txt", " \na\rb\n"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, ["a"] = 1, ["b"] = 2 });
        v.LineCount.Should().Be(3);
        v.Quirks.Should().ContainSingle().Which.Should().Match<VocabQuirk>(q =>
            q.Kind == VocabQuirkKind.LoneCarriageReturn && q.LineIndices.SequenceEqual(new[] { 1 }));
    }

    [Fact]
    public void Cr_then_crlf_is_two_line_ends_and_the_second_line_is_the_empty_key()
    {
        var v = Vocab.Load(Write("crcrlf.txt", " \r\r\nx\n"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, [""] = 1, ["x"] = 2 });
        Kinds(v).Should().BeEquivalentTo(new[] { VocabQuirkKind.CrLfLineEnds, VocabQuirkKind.LoneCarriageReturn, VocabQuirkKind.EmptyKey });
    }

    [Fact]
    public void A_bom_stays_part_of_the_first_key()
    {
        // Python's "utf-8" codec (not "utf-8-sig") keeps U+FEFF: the first key is "\ufeff ", so " " is missing.
        var v = Vocab.Load(Write("bom.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(" \na\n")]));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { ["\uFEFF "] = 0, ["a"] = 1 });
        v.Contains(" ").Should().BeFalse();
        v.IdOf(" ").Should().Be(0, "unknown tokens map to 0 — here the BOM key");
        Kinds(v).Should().BeEquivalentTo(new[] { VocabQuirkKind.ByteOrderMark, VocabQuirkKind.SpaceNotAtZero });
        var act = () => Vocab.Load(Write("bom2.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(" \na\n")]), requireSpaceAtZero: true);
        act.Should().Throw<VocabFormatException>().Which.Fault.Should().Contain("not in the vocabulary");
    }

    [Fact]
    public void Without_a_final_newline_the_last_lines_real_last_character_is_dropped()
    {
        var v = Vocab.Load(Write("nofinal.txt", " \na\nbc"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, ["a"] = 1, ["b"] = 2 });
        v.Contains("bc").Should().BeFalse();
        v.IdOf("bc").Should().Be(0);
        var q = v.Quirks.Should().ContainSingle().Which;
        q.Kind.Should().Be(VocabQuirkKind.NoFinalNewline);
        q.LineIndices.Should().Equal(2);
        q.Detail.Should().Contain("'c'");
    }

    [Fact]
    public void Without_a_final_newline_a_single_character_last_line_becomes_the_empty_key()
    {
        var v = Vocab.Load(Write("nofinal1.txt", " \nz"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, [""] = 1 });
        Kinds(v).Should().BeEquivalentTo(new[] { VocabQuirkKind.NoFinalNewline, VocabQuirkKind.EmptyKey });
    }

    [Fact]
    public void Without_a_final_newline_a_non_bmp_last_character_is_dropped_whole()
    {
        // Python drops one code point; a .NET string holds it as two UTF-16 units.
        var v = Vocab.Load(Write("nofinal-emoji.txt", " \na😀"));
        v.Ids.Keys.Should().BeEquivalentTo(" ", "a");
    }

    [Fact]
    public void A_duplicate_key_keeps_its_last_line_and_shrinks_the_size()
    {
        var v = Vocab.Load(Write("dup.txt", " \na\nb\na\nc\n"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, ["a"] = 3, ["b"] = 2, ["c"] = 4 });
        v.Size.Should().Be(4, "len(vocab_char_map), what upstream passes as text_num_embeds");
        v.LineCount.Should().Be(5);
        var q = v.Quirks.Should().ContainSingle().Which;
        q.Kind.Should().Be(VocabQuirkKind.DuplicateKey);
        q.Key.Should().Be("a");
        q.LineIndices.Should().Equal(1, 3);
    }

    [Fact]
    public void A_blank_line_is_the_empty_key()
    {
        var v = Vocab.Load(Write("blank.txt", " \n\nx\n"));
        v.Ids.Should().BeEquivalentTo(new Dictionary<string, int> { [" "] = 0, [""] = 1, ["x"] = 2 });
        v.Quirks.Should().ContainSingle().Which.Kind.Should().Be(VocabQuirkKind.EmptyKey);
    }

    [Fact]
    public void An_empty_file_is_an_empty_vocabulary_and_fails_the_space_check()
    {
        var v = Vocab.Load(Write("empty.txt", []));
        v.Size.Should().Be(0);
        v.LineCount.Should().Be(0);
        v.Quirks.Should().ContainSingle().Which.Kind.Should().Be(VocabQuirkKind.EmptyFile);
        var act = () => Vocab.Load(Path.Combine(_dir, "empty.txt"), requireSpaceAtZero: true);
        act.Should().Throw<VocabFormatException>().Which.Source.Should().Be(Path.Combine(_dir, "empty.txt"));
    }

    [Fact]
    public void Space_not_at_index_zero_is_a_quirk_for_custom_and_an_error_for_pinyin_and_char()
    {
        string path = Write("space1.txt", "a\n \nb\n");
        var v = Vocab.Load(path);
        v.IdOf(" ").Should().Be(1);
        v.IdOf("?").Should().Be(0, "unknown symbols get 0, which is 'a' here");
        var q = v.Quirks.Should().ContainSingle().Which;
        q.Kind.Should().Be(VocabQuirkKind.SpaceNotAtZero);
        q.Detail.Should().Contain("'a'");
        var act = () => Vocab.Load(path, requireSpaceAtZero: true);
        var e = act.Should().Throw<VocabFormatException>().Which;
        e.Source.Should().Be(path);
        e.Fault.Should().Contain("id 1");
    }

    [Fact]
    public void Space_missing_is_a_quirk_for_custom_and_an_error_for_pinyin_and_char()
    {
        string path = Write("nospace.txt", "a\nb\n");
        Vocab.Load(path).Quirks.Should().ContainSingle().Which.Kind.Should().Be(VocabQuirkKind.SpaceNotAtZero);
        var act = () => Vocab.Load(path, requireSpaceAtZero: true);
        act.Should().Throw<VocabFormatException>().Which.Fault.Should().Contain("not in the vocabulary");
    }

    [Theory]
    [InlineData(new byte[] { 0x20, 0x0A, 0x61, 0xFF, 0x0A }, 3)]            // 0xFF never starts a sequence
    [InlineData(new byte[] { 0x20, 0x0A, 0xC3, 0x28, 0x0A }, 2)]            // lead byte without its continuation
    [InlineData(new byte[] { 0x20, 0x0A, 0xED, 0xA0, 0x80, 0x0A }, 2)]      // an encoded surrogate (Python rejects it too)
    [InlineData(new byte[] { 0x20, 0x0A, 0xC0, 0xAF, 0x0A }, 2)]            // overlong encoding of '/'
    [InlineData(new byte[] { 0x20, 0x0A, 0x61, 0xE2, 0x82 }, 3)]            // truncated at the end of the file
    public void Invalid_utf8_raises_naming_the_file_and_byte_offset(byte[] bytes, int offset)
    {
        string path = Write("bad.txt", bytes);
        var act = () => Vocab.Load(path);
        var e = act.Should().Throw<VocabFormatException>().Which;
        e.Source.Should().Be(path);
        e.Fault.Should().Contain($"byte offset {offset}");
    }

    [Fact]
    public void A_missing_file_raises_naming_it()
    {
        string path = Path.Combine(_dir, "absent.txt");
        var act = () => Vocab.Load(path);
        act.Should().Throw<VocabFormatException>().Which.Source.Should().Be(path);
    }

    [Fact]
    public void Unknown_lookups_give_zero_and_unknown_tokens_are_listed_once_in_order()
    {
        var v = Vocab.Load(Write("v.txt", " \na\nb\n"));
        v.IdOf("z").Should().Be(0);
        v.UnknownTokens(["a", "z", "ni2", "z", "b", "😀"]).Should().Equal("z", "ni2", "😀");
        v.UnknownTokens("az😀a").Should().Equal("z", "😀");
    }
}

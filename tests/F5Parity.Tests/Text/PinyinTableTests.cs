using F5Parity.Errors;
using F5Parity.Text;

namespace F5Parity.Tests.Text;

/// <summary>The user-supplied pinyin table: accepted format, and every malformed line named by file and line.</summary>
public sealed class PinyinTableTests
{
    const string Source = "table.tsv";

    [Fact]
    public void Comments_blank_lines_crlf_and_bom_are_accepted_and_the_first_alternative_is_used()
    {
        var t = PinyinTable.Parse(Source, "\uFEFF# comment\r\n\r\n好\thao3,hao4\r\n你好\tni3 hao3\r\n了\tle\n");
        t.Count.Should().Be(3);
        t.MaxWordLength.Should().Be(2);
        t.TryGet("好", out var hao).Should().BeTrue();
        hao.Should().Equal("hao3");
        t.TryGet("你好", out var nihao).Should().BeTrue();
        nihao.Should().Equal("ni3", "hao3");
        t.TryGet("了", out var le).Should().BeTrue();
        le.Should().Equal("le");
        t.TryGet("你", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("好 hao3", "line 1", "tab")]
    [InlineData("好\thao3\textra", "line 1", "tab")]
    [InlineData("# c\n你好\tni3", "line 2", "1 reading")]
    [InlineData("好\thao5", "line 1", "TONE3")]           // pypinyin's TONE3 has no digit for the neutral tone
    [InlineData("好\thǎo", "line 1", "TONE3")]            // tone marks are not TONE3
    [InlineData("女\tnü3", "line 1", "TONE3")]            // pypinyin writes ü as v
    [InlineData("a\ta1", "line 1", "RE_HANS")]            // never looked up: the converter keeps such characters
    [InlineData("好\thao3\n好\thao4", "line 2", "twice")]
    public void A_malformed_line_raises_naming_the_table_and_line(string text, string where, string fault)
    {
        var act = () => PinyinTable.Parse(Source, text);
        var e = act.Should().Throw<TextInputException>().Which;
        e.Source.Should().Be(Source);
        e.Fault.Should().StartWith(where).And.Contain(fault);
    }

    [Fact]
    public void A_missing_file_raises_naming_it()
    {
        string path = Path.Combine(Path.GetTempPath(), $"f5parity-absent-{Guid.NewGuid():N}.tsv");
        var act = () => PinyinTable.Load(path);
        act.Should().Throw<TextInputException>().Which.Source.Should().Be(path);
    }
}

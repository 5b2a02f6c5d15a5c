using F5Parity.Errors;
using F5Parity.Text;

namespace F5Parity.Tests.Text;

/// <summary>
/// <see cref="CharToPinyin"/> on the branches of upstream's convert_char_to_pinyin that the reference sentences do not
/// reach. Expected token lists follow the upstream function (model/utils.py) with Python jieba 0.42.1 segments.
/// </summary>
public sealed class CharToPinyinTests
{
    static readonly PinyinTable Table = PinyinTable.Parse("test-table",
        "你\tni3\n好\thao3,hao4\n你好\tni3 hao3\n恤\txu4\n〇\tling2\n不\tbu4\n是\tshi4\n不是\tbu4 shi4\n");

    static List<string> Convert(string text, PinyinTable? table = null, bool polyphone = true) =>
        CharToPinyin.Convert([text], table, polyphone)[0];

    [Theory]
    [InlineData("ok😀ok", new[] { "o", "k", "😀", " ", "o", "k" })]       // 4-byte character kept whole; space before "ok"
    [InlineData("a\r\nb", new[] { "a", " ", "\r", "\n", "b" })]             // "\r\n" is a 2-character ASCII segment
    [InlineData("a·b", new[] { "a", "·", "b" })]                            // ord < 256: kept
    [InlineData("x—y", new[] { "x", "—", "y" })]                            // 3-byte, not Chinese: lazy_pinyin returns it
    [InlineData("ㄅ", new[] { " ", "ㄅ" })]                                 // in is_chinese's range, no pinyin: " " + itself
    [InlineData("a; “b” ‘c’", new[] { "a", ",", " ", "\"", "b", "\"", " ", "'", "c", "'" })] // custom_trans
    [InlineData("e-mail covid-19", new[] { "e", "-", " ", "m", "a", "i", "l", " ", "c", "o", "v", "i", "d", "-", " ", "1", "9" })]
    public void Text_without_chinese_needs_no_table(string text, string[] expected) =>
        Convert(text).Should().Equal(expected);

    [Fact]
    public void Chinese_without_a_table_raises_naming_the_character()
    {
        var act = () => Convert("Olá 好");
        var e = act.Should().Throw<TextInputException>().Which;
        e.Source.Should().Be("convert_char_to_pinyin text_list[0]");
        e.Fault.Should().Contain("U+597D '好'").And.Contain("no pinyin table");
    }

    [Fact]
    public void A_character_missing_from_the_table_raises_naming_it_and_the_table()
    {
        var act = () => Convert("你们", Table);
        act.Should().Throw<TextInputException>().Which.Fault.Should().Contain("'们'").And.Contain("test-table");
    }

    [Fact]
    public void Tone_sandhi_spans_a_word_the_table_lists()
    {
        Convert("你好", Table).Should().Equal(" ", "ni2", " ", "hao3");
        var charsOnly = PinyinTable.Parse("chars", "你\tni3\n好\thao3\n");
        Convert("你好", charsOnly).Should().Equal(" ", "ni3", " ", "hao3"); // the documented limit: no word, no sandhi
        Convert("不是", Table).Should().Equal(" ", "bu2", " ", "shi4");
        Convert("是不", Table).Should().Equal(" ", "shi4", " ", "bu4");
    }

    [Fact]
    public void Mixed_segment_converts_each_chinese_character_alone()
    {
        // "T恤" is one dictionary word of 4 UTF-8 bytes for 2 characters: the mixed branch.
        Convert("T恤", Table).Should().Equal("T", " ", "xu4");
    }

    [Fact]
    public void Polyphone_false_sends_chinese_words_through_the_mixed_branch()
    {
        // lazy_pinyin(c) per character: no word, so no third-tone sandhi
        Convert("你好", Table, polyphone: false).Should().Equal(" ", "ni3", " ", "hao3");
    }

    [Fact]
    public void Ling_circle_gets_pinyin_without_a_leading_space()
    {
        // U+3007 is below is_chinese's range but pypinyin (RE_HANS) has pinyin for it.
        Convert("〇", Table).Should().Equal("ling2");
        var act = () => Convert("〇");
        act.Should().Throw<TextInputException>().Which.Fault.Should().Contain("U+3007");
    }

    [Fact]
    public void A_lone_surrogate_raises_as_upstream_cannot_encode_it()
    {
        var act = () => CharToPinyin.Convert(["ok", "a\uDC00b"]);
        var e = act.Should().Throw<TextInputException>().Which;
        e.Source.Should().Be("convert_char_to_pinyin text_list[1]");
        e.Fault.Should().Contain("U+DC00");
    }
}

using F5Parity.Text;

namespace F5Parity.Tests.Text;

/// <summary>
/// <see cref="ToneSandhi"/> follows pypinyin's ToneSandhiMixin rule by rule (pypinyin/contrib/tone_sandhi.py), quirks
/// included.
/// </summary>
public sealed class ToneSandhiTests
{
    static string[] Apply(string han, params string[] pinyin)
    {
        var list = pinyin.ToList();
        ToneSandhi.Apply(PythonStr.CodePoints(han), list);
        return list.ToArray();
    }

    [Theory]
    [InlineData("你好", new[] { "ni3", "hao3" }, new[] { "ni2", "hao3" })]                        // two third tones
    [InlineData("展览馆", new[] { "zhan3", "lan3", "guan3" }, new[] { "zhan2", "lan2", "guan3" })] // all but the last
    [InlineData("好人好", new[] { "hao3", "ren2", "hao3" }, new[] { "hao2", "ren2", "hao3" })]    // counted, not adjacent
    [InlineData("好", new[] { "hao3" }, new[] { "hao3" })]
    [InlineData("中国", new[] { "zhong1", "guo2" }, new[] { "zhong1", "guo2" })]
    public void Third_tone(string han, string[] pinyin, string[] expected) => Apply(han, pinyin).Should().Equal(expected);

    [Theory]
    [InlineData("不是", new[] { "bu4", "shi4" }, new[] { "bu2", "shi4" })]
    [InlineData("不好", new[] { "bu4", "hao3" }, new[] { "bu4", "hao3" })]
    [InlineData("好不", new[] { "hao3", "bu2" }, new[] { "hao3", "bu4" })]  // final 不: every digit becomes 4
    [InlineData("不", new[] { "bu" }, new[] { "bu" })]                      // neutral tone: no digit to change
    public void Bu(string han, string[] pinyin, string[] expected) => Apply(han, pinyin).Should().Equal(expected);

    [Theory]
    [InlineData("一天", new[] { "yi1", "tian1" }, new[] { "yi4", "tian1" })]
    [InlineData("一起", new[] { "yi1", "qi3" }, new[] { "yi4", "qi3" })]
    [InlineData("一定", new[] { "yi1", "ding4" }, new[] { "yi1", "ding4" })]  // pypinyin replaces '4' in "yi1": no change
    [InlineData("统一", new[] { "tong3", "yi1" }, new[] { "tong3", "yi1" })]  // final 一: first tone
    [InlineData("一", new[] { "yi4" }, new[] { "yi1" })]
    public void Yi(string han, string[] pinyin, string[] expected) => Apply(han, pinyin).Should().Equal(expected);
}

using System.Text.Json.Nodes;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;

namespace F5Parity.Tests.Text;

/// <summary>
/// <see cref="JiebaCut"/> against Python jieba 0.42.1 itself (fixtures/text/jieba_cut_cases.json, written by
/// make_jieba_cut_cases.py beside it): the reference data was segmented by it, so every segment must agree, including
/// the Viterbi ties on characters the HMM never saw, where jieba.NET's own Cut disagrees.
/// </summary>
public sealed class JiebaCutTests
{
    static readonly Lazy<JsonArray> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "text", "jieba_cut_cases.json")))!["cases"]!.AsArray());

    [Fact]
    public void Every_fixture_text_is_cut_as_python_jieba_cuts_it()
    {
        var mismatches = new List<string>();
        foreach (var c in Cases.Value)
        {
            string text = c!["text"]!.GetValue<string>();
            var expected = c["segments"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            var actual = JiebaCut.Cut(text);
            if (!actual.SequenceEqual(expected))
                mismatches.Add($"'{text}': [{string.Join("|", actual)}] but jieba [{string.Join("|", expected)}]");
        }
        Cases.Value.Count.Should().BeGreaterThan(0);
        mismatches.Should().BeEmpty($"{mismatches.Count} of {Cases.Value.Count} texts are cut differently");
    }

    [Theory]
    [InlineData("covid-19", new[] { "covid", "-", "19" })]       // Python jieba; rjieba keeps "covid-19" whole
    [InlineData("3.5%abc", new[] { "3.5%", "abc" })]
    [InlineData("AT&T c++", new[] { "AT&T", " ", "c++" })]       // dictionary words with symbols
    [InlineData("a·b", new[] { "a", "·", "b" })]                 // '·' is outside Python's han class (jieba.NET has it inside)
    [InlineData("ok😀ok", new[] { "ok", "😀", "ok" })]           // one code point, not two UTF-16 halves
    [InlineData("a\r\nb", new[] { "a", "\r\n", "b" })]           // re_skip keeps \r\n together
    [InlineData("T恤", new[] { "T恤" })]
    public void Notable_cases_follow_python_jieba(string text, string[] expected) =>
        JiebaCut.Cut(text).Should().Equal(expected);

    [Fact]
    public void Dictionary_is_found_beside_the_assembly_whatever_the_current_directory()
    {
        Path.IsPathRooted(JiebaDictionary.DefaultDirectory).Should().BeTrue();
        JiebaDictionary.Default.Directory.Should().Be(JiebaDictionary.DefaultDirectory);
        JiebaDictionary.Default.Total.Should().BeGreaterThan(0);
        JiebaDictionary.Default.Contains("你好").Should().BeTrue();
    }

    [Fact]
    public void A_folder_without_the_dictionary_raises_naming_the_file()
    {
        string dir = Directory.CreateTempSubdirectory("f5parity-jieba-").FullName;
        try
        {
            var act = () => JiebaDictionary.Load(dir);
            act.Should().Throw<ConfigurationException>().Which.Source.Should().Be(Path.Combine(dir, "dict.txt"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

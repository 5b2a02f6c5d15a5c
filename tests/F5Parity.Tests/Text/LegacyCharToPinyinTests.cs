using System.Text.Json.Nodes;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;

namespace F5Parity.Tests.Text;

/// <summary>
/// The earlier <c>convert_char_to_pinyin</c> (<see cref="CharToPinyin.Version.Legacy"/>) against the commit's: the only
/// change for Latin text is a space before every character above U+00FF that is neither Chinese punctuation nor
/// Chinese. No upstream output of the old version is stored here, so it is checked as that difference.
/// </summary>
public sealed class LegacyCharToPinyinTests
{
    static readonly PinyinTable Table = PinyinTable.Load(Path.Combine(RepoPaths.Fixtures, "text", "pinyin_table_minimal.tsv"));

    public static TheoryData<string> ReferenceSentences()
    {
        var data = new TheoryData<string>();
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(ReferenceSet.Golden.PathOf("common/text_tokens.json")))!;
        foreach (var kv in json) data.Add(kv.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceSentences))]
    public void Reference_sentences_convert_alike_in_both_versions(string name)
    {
        // Latin-1 letters, ASCII punctuation, curly quotes (translated first), "—" (Chinese punctuation to the old
        // version) and Chinese characters: nothing the change touched
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(ReferenceSet.Golden.PathOf("common/text_tokens.json")))!;
        string text = json[name]!["text"]!.GetValue<string>();
        CharToPinyin.Convert([text], Table, version: CharToPinyin.Version.Legacy)[0]
            .Should().Equal(CharToPinyin.Convert([text], Table)[0]);
    }

    [Theory]
    [InlineData("a–b", "–")]                       // en dash between letters
    [InlineData("Custa 10 € já", "€")]             // euro sign after a space: the old version adds a second one
    [InlineData("item • fim • ok", "•")]           // bullets
    [InlineData("fim… e — não", "")]               // "…" and "—" are Chinese punctuation to the old version
    [InlineData("açúcar, pão-de-ló", "")]          // Latin-1 only
    public void The_old_version_puts_a_space_before_other_non_latin1_characters(string text, string touched)
    {
        var current = CharToPinyin.Convert([text])[0];
        var expected = new List<string>();
        foreach (var token in current)
        {
            if (touched.Length > 0 && token == touched) expected.Add(" ");
            expected.Add(token);
        }

        CharToPinyin.Convert([text], version: CharToPinyin.Version.Legacy)[0].Should().Equal(expected);
        if (touched.Length > 0) current.Should().Contain(touched, "the character must stay one token for the comparison to mean anything");
    }
}

using System.Text.Json.Nodes;
using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Pipelines;

public sealed class PreprocessRefAudioTextTests
{
    [Fact]
    public void Reference_text_ends_like_upstreams_cli_flow_made_it()
    {
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(ReferenceSet.Current.PathOf("common/preprocess_ref_audio_text.json")))!;
        PreprocessRefAudioText.RefText(json["ref_text_in"]!.GetValue<string>()).Should().Be(json["ref_text_out"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Olá. ", "Olá. ")]
    [InlineData("你好。", "你好。")]
    [InlineData("Olá.", "Olá. ")]
    [InlineData("Olá", "Olá. ")]
    [InlineData("Tudo bem?", "Tudo bem?. ")]
    public void Suffix_rule(string input, string expected) => PreprocessRefAudioText.RefText(input).Should().Be(expected);
}

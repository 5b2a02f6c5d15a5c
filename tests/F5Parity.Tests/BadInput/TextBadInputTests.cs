using F5Parity.Errors;
using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Tests.BadInput;

/// <summary>Generation texts that cannot be spoken as given: a typed <see cref="TextInputException"/> or a reported note.</summary>
public sealed class TextBadInputTests
{
    static Vocab Vocab => CaseModels.VocabOf(ReferenceSet.Golden);

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public void Empty_text_is_refused(string text)
    {
        BadInputFolder.ExpectFault<TextInputException>(() => GenTextCheck.Check(text, Vocab, 135), "gen_text", "empty text");
        if (text.Length == 0)
        {
            // infer_process itself refuses "" before touching the model (chunk_text returns no batch).
            using var refAudio = zeros(1, 24000);
            BadInputFolder.ExpectFault<TextInputException>(
                () => InferProcessPath.Run(null!, Vocab, null!, refAudio, 24000, "Olá.", text), "gen_text", "nothing to generate");
        }
        else
        {
            // Whitespace is not refused upstream: chunk_text strips after its emptiness test and yields one "" batch,
            // so only the up-front check catches it.
            TextChunker.Chunk(text).Should().Equal("");
        }
    }

    [Fact]
    public void Only_punctuation_is_refused()
    {
        BadInputFolder.ExpectFault<TextInputException>(() => GenTextCheck.Check("... !? ,", Vocab, 135), "gen_text", "no letter or digit");
    }

    [Fact]
    public void Chinese_without_a_pinyin_table_is_refused()
    {
        BadInputFolder.ExpectFault<TextInputException>(() => CharToPinyin.Convert(["你好"]), "convert_char_to_pinyin text_list[0]",
            "needs pinyin .* no pinyin table");
    }

    [Fact]
    public void Text_longer_than_a_chunk_is_split_and_an_unsplittable_run_is_reported()
    {
        const int maxChars = 40;
        string sentences = string.Join(" ", Enumerable.Range(1, 6).Select(i => $"Esta é a frase número {i}."));
        var chunks = TextChunker.Chunk(sentences, maxChars);
        chunks.Should().HaveCountGreaterThan(1);
        chunks.Should().OnlyContain(c => System.Text.Encoding.UTF8.GetByteCount(c) <= maxChars);
        GenTextCheck.Check(sentences, Vocab, maxChars).Should().NotContain(n => n.Contains("exceeds max_chars"));

        string run = string.Concat(Enumerable.Repeat("palavra sem pontuação ", 6));
        TextChunker.Chunk(run, maxChars).Should().ContainSingle();
        GenTextCheck.Check(run, Vocab, maxChars).Should().Contain(n => n.Contains("exceeds max_chars = 40"));
    }
}

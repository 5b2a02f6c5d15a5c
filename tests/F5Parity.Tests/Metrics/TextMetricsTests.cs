using F5Parity.Metrics;

namespace F5Parity.Tests.Metrics;

/// <summary>Normalisation and error rates of transcripts, with Portuguese text.</summary>
public sealed class TextMetricsTests
{
    [Theory]
    [InlineData("Você já foi à praia no verão?", false, "você já foi à praia no verão")]
    [InlineData("Ô de casa, tem alguém aí?", false, "ô de casa tem alguém aí")]
    [InlineData("O aviso dizia: PROMOÇÕES ATÉ AMANHÃ.", false, "o aviso dizia promoções até amanhã")]
    [InlineData("  «Olá!» — disse   ela…\n\t(baixinho) ", false, "olá disse ela baixinho")]
    [InlineData("guarda-chuva d'água", false, "guarda chuva d água")]
    [InlineData("A canção de ninar acalmou o bebê.", true, "a cancao de ninar acalmou o bebe")]
    [InlineData("PROMOÇÕES ATÉ AMANHÃ, Ô, à, â, ü", true, "promocoes ate amanha o a a u")]
    [InlineData("3 + 4 = 7, US$ 5 (50%)", false, "3 + 4 = 7 us$ 5 50")] // Unicode files % under punctuation, + = $ under symbols
    public void Normalize_lowercases_strips_punctuation_and_keeps_portuguese_letters(string input, bool fold, string expected) =>
        TextNormalizer.Normalize(input, fold).Should().Be(expected);

    [Fact]
    public void Decomposed_and_composed_accents_normalise_alike()
    {
        const string composed = "ação";                     // U+00E7, U+00E3
        const string decomposed = "ac\u0327a\u0303o";        // c + combining cedilla, a + combining tilde
        decomposed.Should().NotBe(composed);
        TextNormalizer.Normalize(decomposed).Should().Be(composed);
        TextNormalizer.Normalize(decomposed, foldAccents: true).Should().Be("acao");
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ação", "acao", 2)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("pão", "pão", 0)]
    [InlineData("a😀b", "ab", 1)] // one code point, not two UTF-16 units
    public void Character_distance(string reference, string hypothesis, int expected) =>
        EditDistance.Characters(reference, hypothesis).Should().Be(expected);

    [Fact]
    public void Word_distance_and_error_rates()
    {
        const string reference = "o coração da nação bate forte";
        const string hypothesis = "o coração na nação bate muito forte";
        // one substitution (da -> na) and one insertion (muito) over 6 reference words
        EditDistance.Words(reference, hypothesis).Should().Be(2);
        EditDistance.Wer(reference, hypothesis).Should().Be(2.0 / 6);
        // characters: "da" -> "na" is 1 substitution, "muito " is 6 insertions; 29 reference characters
        EditDistance.Characters(reference, hypothesis).Should().Be(7);
        EditDistance.Cer(reference, hypothesis).Should().Be(7.0 / 29);

        EditDistance.Wer("três irmãos", "três irmãos").Should().Be(0);
        EditDistance.Wer("a b", "c d e f").Should().Be(2.0, "error rates are not capped at 1");
    }

    [Fact]
    public void Error_rates_refuse_an_empty_reference()
    {
        FluentActions.Invoking(() => EditDistance.Cer("", "algo")).Should().Throw<ArgumentException>().WithMessage("*reference*");
        FluentActions.Invoking(() => EditDistance.Wer("   ", "algo")).Should().Throw<ArgumentException>().WithMessage("*reference*");
    }
}

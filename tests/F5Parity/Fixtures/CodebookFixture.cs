using F5Parity.Model;
using F5Parity.Text;

namespace F5Parity.Fixtures;

/// <summary>
/// What the committed codebook-language fixtures of fixtures/models/ are, as the diagnosis reads them: the tiny DiT
/// they were trained as (v1 options, or the same tensors with v0 options) and the languages they speak — L0 (the
/// pretrained model's), L1 (the fine-tune's: the vowels re-voiced) and E0 (L0 with an echo, the config-fault
/// fixture's). How they are trained lives in tests/F5Parity.TestSupport (ModelFixtureRecipe, ConfigFaultRecipe).
/// </summary>
public static class CodebookFixture
{
    public const long LanguageSeed = 1234;
    public const long FinetuneLanguageSeed = 5678;

    /// <summary>Tokens the fine-tune language re-voices (new signatures): the vowels, plain and accented.</summary>
    public static readonly IReadOnlyList<string> ChangedTokens =
        ["a", "e", "i", "o", "u", "á", "à", "â", "ã", "é", "ê", "í", "ó", "ô", "õ", "ú"];

    /// <summary>The echo distance of E0: past ConvPositionEmbedding (two kernels of 31: ±30) plus one text ConvNeXt (±3).</summary>
    public const int EchoDelay = 36;
    public const long EchoSeed = 4321;
    public const string EchoLanguageName = "E0";

    /// <summary>The tiny v1 DiT every model fixture uses (text_num_embeds = vocab size).</summary>
    public static DiTConfig Config(int vocabSize) => new()
    {
        Dim = 80, Depth = 4, Heads = 2, DimHead = 40, FfMult = 2, TextDim = 40, ConvLayers = 1, MelDim = 100,
        TextNumEmbeds = vocabSize, TextMaskPadding = true, PeAttnHead = null, Dropout = 0.1,
    };

    /// <summary>The same tensors computed the v0 way (F5TTS_Base options).</summary>
    public static DiTConfig ConfigV0(int vocabSize) => Config(vocabSize) with { TextMaskPadding = false, PeAttnHead = 1 };

    /// <summary>L0: the language of the pretrained fixture.</summary>
    public static CodebookLanguage Language(Vocab vocab) => CodebookLanguage.Create(vocab, LanguageSeed, name: "L0");

    /// <summary>L1: L0 with <see cref="ChangedTokens"/> re-voiced, the language of the fine-tune fixtures.</summary>
    public static CodebookLanguage FinetuneLanguage(Vocab vocab) =>
        Language(vocab).WithNewSignatures(ChangedTokens, FinetuneLanguageSeed, "L1");

    /// <summary>E0: L0 with an echo (<see cref="CodebookLanguage.WithEcho"/>), the language of fixtures/models/config-fault.</summary>
    public static CodebookLanguage EchoLanguage(Vocab vocab) =>
        Language(vocab).WithEcho(EchoDelay, EchoSeed, EchoLanguageName);
}

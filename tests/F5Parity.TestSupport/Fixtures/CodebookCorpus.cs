using F5Parity.Text;

namespace F5Parity.Fixtures;

/// <summary>
/// Portuguese sentences for the <see cref="CodebookLanguage"/>: a training set built from one word list with a seeded
/// generator, and held-out sentences made of other words (never seen in training, as words or as sentences). Words
/// carry accents and cedilla, and several have an accented letter followed by two or more ASCII letters, which is
/// where upstream's <c>convert_char_to_pinyin</c> inserts a space ("açúcar" -> "açú car", "ótimo" -> "ó timo").
/// </summary>
public static class CodebookCorpus
{
    /// <summary>Words of the training sentences.</summary>
    public static readonly IReadOnlyList<string> TrainWords =
    [
        "o", "a", "um", "uma", "de", "do", "da", "no", "na", "com", "sem", "por", "para", "e", "mas",
        "gato", "casa", "bola", "sapo", "lobo", "mato", "rato", "pato", "copo", "rosa", "porta", "barco", "campo",
        "amigo", "tempo", "noite", "cidade", "escola", "janela", "caderno", "jardim", "vento", "fogo",
        "canta", "corre", "come", "bebe", "toca", "olha", "gosta", "anda", "fala", "volta", "sobe", "pega",
        "bonito", "grande", "pequeno", "novo", "velho", "alto", "bom", "azul", "verde", "claro",
        "café", "avó", "avô", "pão", "mãe", "irmão", "coração", "você", "está", "até", "já", "também", "é", "à",
        "açúcar", "ótimo", "música", "pássaro", "árvore", "lâmpada", "médico", "último", "cômodo", "sábado",
        "próximo", "rápido", "público", "número", "família", "história", "ônibus", "óculos", "cântico", "hóspede",
    ];

    /// <summary>Held-out sentences: every content word absent from <see cref="TrainWords"/> (only articles repeat); accents where the converter bites.</summary>
    public static readonly IReadOnlyList<string> HeldOut =
    [
        "o túnel dourado",
        "a máquina quebrou",
        "um cálculo exato",
        "a ótica fechou",
    ];

    /// <summary>The training sentence used as reference audio/text when generating held-out text.</summary>
    public static string Reference => Train[0];

    /// <summary>Number of training sentences.</summary>
    public const int TrainCount = 400;

    /// <summary>Seed of the sentence generator.</summary>
    public const int Seed = 20261125;

    static readonly Lazy<IReadOnlyList<string>> TrainLazy = new(() =>
    {
        var rng = new Random(Seed);
        var seen = new HashSet<string>(HeldOut, StringComparer.Ordinal);
        var result = new List<string>();
        while (result.Count < TrainCount)
        {
            int n = 2 + rng.Next(3); // 2-4 words
            var s = string.Join(" ", Enumerable.Range(0, n).Select(_ => TrainWords[rng.Next(TrainWords.Count)]));
            if (seen.Add(s)) result.Add(s);
        }
        return result;
    });

    /// <summary>The training sentences (deterministic: <see cref="Seed"/>).</summary>
    public static IReadOnlyList<string> Train => TrainLazy.Value;

    /// <summary>
    /// A sentence's tokens as a dataset row holds them: <c>convert_char_to_pinyin</c> output when
    /// <paramref name="pinyin"/> (upstream's preparation scripts), else the raw characters (a dataset prepared
    /// without it).
    /// </summary>
    public static List<string> Tokens(string sentence, bool pinyin) =>
        pinyin ? CharToPinyin.Convert([sentence])[0] : PythonStr.CodePoints(sentence);

    /// <summary>Tokens of a training pair as the trainer and <c>infer_process</c> join them: ref, one space, gen.</summary>
    public static List<string> PairTokens(string reference, string generated, bool pinyin)
    {
        var t = Tokens(reference, pinyin);
        t.Add(" ");
        t.AddRange(Tokens(generated, pinyin));
        return t;
    }
}

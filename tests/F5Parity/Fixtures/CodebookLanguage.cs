using F5Parity.Text;
using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Fixtures;

/// <summary>
/// A synthetic "codebook language" that a tiny F5 model learns in minutes on a CPU and that can be read back without
/// ASR. Every vocab token (id i of <see cref="Vocab"/>) is spoken as exactly one mel frame: its own fixed spectral
/// signature (a seeded random d-dim log-mel vector, mean -4, std 2) plus small Gaussian noise. Upstream's
/// TextEmbedding places token j at frame j, so a model only has to learn a local token -> spectrum map, yet what it
/// generates depends entirely on its text: decoding every generated frame to the nearest signature gives the token
/// sequence it "said", and <see cref="TokenAccuracy"/> (1 - a position-wise token error rate) is an ASR-free
/// measure of "the output follows the text". Chance level is 1 / vocab size.
/// </summary>
/// <remarks>
/// Typical use by a diagnosis: generate after a reference, cut the reference frames off, transpose the generated
/// mel (n, d) to (d, n), and call <c>TokenAccuracy(mel, expectedTokens)</c> with the tokens the model should have
/// said (in the training vocab's spelling). Tensors returned are float32 on the CPU.
/// </remarks>
public sealed class CodebookLanguage
{
    /// <summary>Mel channels (upstream's n_mel_channels).</summary>
    public const int MelDim = 100;

    /// <summary>Mean of the signature entries (a typical log-mel level).</summary>
    public const double SignatureMean = -4.0;
    static readonly Scalar SignatureMeanScalar = SignatureMean.ToScalar();

    /// <summary>Standard deviation of the signature entries.</summary>
    public const double SignatureStd = 2.0;
    static readonly Scalar SignatureStdScalar = SignatureStd.ToScalar();

    readonly float[] _signatures; // V x d, row-major
    readonly float[]? _echoSignatures; // (V + 1) x d, row V = "no token there"

    CodebookLanguage(Vocab vocab, float[] signatures, double noise, string name, int echoDelay = 0, float[]? echoSignatures = null)
    {
        Vocab = vocab;
        _signatures = signatures;
        Noise = noise;
        Name = name;
        EchoDelay = echoDelay;
        _echoSignatures = echoSignatures;
    }

    /// <summary>
    /// 0 for a plain language. Otherwise frame i is split: bins [0, d/2) speak token i (its signature's first half),
    /// bins [d/2, d) echo token i + EchoDelay of the same rendered list (an echo signature's second half; a token past
    /// the end echoes a "none" signature of its own). See <see cref="WithEcho"/>.
    /// </summary>
    public int EchoDelay { get; }

    /// <summary>The vocab whose ids index the signatures (the training vocab).</summary>
    public Vocab Vocab { get; }

    /// <summary>Std of the Gaussian noise added to every rendered frame.</summary>
    public double Noise { get; }

    /// <summary>A label for reports ("L0", "L1", ...).</summary>
    public string Name { get; }

    /// <summary>V: number of signatures (= vocab size).</summary>
    public int Size => Vocab.Size;

    /// <summary>Chance level of <see cref="TokenAccuracy"/>: 1 / V (1 / (V (V + 1)) with an echo).</summary>
    public double Chance => EchoDelay == 0 ? 1.0 / Size : 1.0 / ((double)Size * (Size + 1));

    /// <summary>Builds the language: signature i drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static CodebookLanguage Create(Vocab vocab, long seed, double noise = 0.1, string name = "L0")
    {
        var gen = new Generator((ulong)seed);
        using var sig = (randn([vocab.Size, MelDim], generator: gen) * SignatureStdScalar).add(SignatureMeanScalar, alpha: IntOne);
        return new CodebookLanguage(vocab, sig.data<float>().ToArray(), noise, name);
    }

    /// <summary>
    /// A changed language for a fine-tune ("new speaker"): the listed tokens get fresh signatures drawn with
    /// <paramref name="seed"/>, all others keep theirs.
    /// </summary>
    public CodebookLanguage WithNewSignatures(IEnumerable<string> tokens, long seed, string name)
    {
        var sigs = (float[])_signatures.Clone();
        var gen = new Generator((ulong)seed);
        foreach (var token in tokens)
        {
            if (!Vocab.Contains(token)) throw new ArgumentException($"token \"{token}\" is not in {Vocab.Path}");
            using var row = (randn([MelDim], generator: gen) * SignatureStdScalar).add(SignatureMeanScalar, alpha: IntOne);
            row.data<float>().ToArray().CopyTo(sigs, Vocab.IdOf(token) * MelDim);
        }
        return new CodebookLanguage(Vocab, sigs, Noise, name);
    }

    /// <summary>
    /// The same language with an echo (<see cref="EchoDelay"/> = <paramref name="delay"/>): a frame's second half says
    /// the token <paramref name="delay"/> positions later, with V + 1 echo signatures drawn from <paramref name="seed"/>.
    /// Beyond the convolutions' reach (ConvPositionEmbedding: two kernels of 31, ±30 frames; a text ConvNeXt block: ±3)
    /// only attention can fetch that token, and relative position (rotary) is what finds it.
    /// </summary>
    public CodebookLanguage WithEcho(int delay, long seed, string name)
    {
        if (delay <= 0) throw new ArgumentOutOfRangeException(nameof(delay), "must be positive");
        var gen = new Generator((ulong)seed);
        using var sig = (randn([Size + 1, MelDim], generator: gen) * SignatureStdScalar).add(SignatureMeanScalar, alpha: IntOne);
        return new CodebookLanguage(Vocab, _signatures, Noise, name, delay, sig.data<float>().ToArray());
    }

    /// <summary>The signatures, (V, d) float32.</summary>
    public Tensor Signatures() => tensor(_signatures, [Size, MelDim]);

    /// <summary>Token strings -> ids of <see cref="Vocab"/> (unknown -> 0, like upstream's list_str_to_idx).</summary>
    public int[] Ids(IReadOnlyList<string> tokens) => tokens.Select(Vocab.IdOf).ToArray();

    /// <summary>
    /// What each frame of a rendering of <paramref name="tokens"/> says, as one code per frame: the token id, or with an
    /// echo <c>id · (V + 1) + echoed id</c> (V = none). <see cref="DecodeTokens"/> returns the same codes.
    /// </summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        var ids = Ids(tokens);
        if (EchoDelay == 0) return ids;
        return ids.Select((id, i) => id * (Size + 1) + EchoIds(ids)[i]).ToArray();
    }

    int[] EchoIds(int[] ids) => ids.Select((_, i) => i + EchoDelay < ids.Length ? ids[i + EchoDelay] : Size).ToArray();

    /// <summary>
    /// Speaks <paramref name="tokens"/>: one frame per token, signature + noise drawn from <paramref name="noise"/>
    /// (or no noise when null). Returns (d, n) log-mel, n = tokens.Count.
    /// </summary>
    public Tensor RenderMel(IReadOnlyList<string> tokens, Generator? noise)
    {
        using var scope = NewDisposeScope();
        var idArray = Ids(tokens);
        var frames = Signatures().index_select(0, tensor(idArray.Select(i => (long)i).ToArray())); // n d
        if (EchoDelay > 0)
        {
            var echo = EchoSignatures().index_select(0, tensor(EchoIds(idArray).Select(i => (long)i).ToArray()));
            frames = cat([frames.narrow(1, 0, MelDim / 2), echo.narrow(1, MelDim / 2, MelDim - MelDim / 2)], 1);
        }
        if (noise is not null && Noise > 0)
        {
            using var noiseStd = Noise.ToScalar();
            frames = frames.add(randn(frames.shape, generator: noise) * noiseStd, alpha: IntOne);
        }
        return frames.t().contiguous().MoveToOuterDisposeScope();                          // d n
    }

    /// <summary>Nearest signature (Euclidean) per frame of a (d, n) mel: the codes (<see cref="Encode"/>) the mel "says".</summary>
    public int[] DecodeTokens(Tensor mel)
    {
        if (mel.dim() != 2 || mel.shape[0] != MelDim)
            throw new ArgumentException($"mel must be (d={MelDim}, n), got ({string.Join(", ", mel.shape)})");
        using var scope = NewDisposeScope();
        var frames = mel.to(float32).cpu().t();                                           // n d
        if (EchoDelay == 0) return Nearest(frames, Signatures());
        int h = MelDim / 2;
        var spoken = Nearest(frames.narrow(1, 0, h), Signatures().narrow(1, 0, h));
        var echoed = Nearest(frames.narrow(1, h, MelDim - h), EchoSignatures().narrow(1, h, MelDim - h));
        return spoken.Select((id, i) => id * (Size + 1) + echoed[i]).ToArray();
    }

    static int[] Nearest(Tensor frames, Tensor signatures)
    {
        using var scope = NewDisposeScope();
        var dist = cdist(frames.contiguous().unsqueeze(0), signatures.contiguous().unsqueeze(0)).squeeze(0); // n V
        return dist.argmin(1).to(int32).data<int>().ToArray();
    }

    Tensor EchoSignatures() => tensor(_echoSignatures!, [Size + 1, MelDim]);

    /// <summary>
    /// Fraction of frames of <paramref name="mel"/> (d, n) whose nearest signature is the expected token at that
    /// position; n must equal the number of expected tokens. With <paramref name="only"/>, only positions whose
    /// expected token is in that set count (NaN when there are none).
    /// </summary>
    public double TokenAccuracy(Tensor mel, IReadOnlyList<string> expectedTokens, IReadOnlySet<string>? only = null)
    {
        var (hits, total) = TokenHits(mel, expectedTokens, only);
        return total == 0 ? double.NaN : (double)hits / total;
    }

    /// <summary>The counts behind <see cref="TokenAccuracy"/> (for pooling over several items).</summary>
    public (int Hits, int Total) TokenHits(Tensor mel, IReadOnlyList<string> expectedTokens, IReadOnlySet<string>? only = null)
    {
        var decoded = DecodeTokens(mel);
        if (decoded.Length != expectedTokens.Count)
            throw new ArgumentException($"mel has {decoded.Length} frames but {expectedTokens.Count} tokens are expected");
        var expected = Encode(expectedTokens);
        int hits = 0, total = 0;
        for (int i = 0; i < decoded.Length; i++)
        {
            if (only is not null && !only.Contains(expectedTokens[i])) continue;
            total++;
            if (decoded[i] == expected[i]) hits++;
        }
        return (hits, total);
    }
}

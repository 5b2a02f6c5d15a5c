using System.Text;

namespace F5Parity.Asr;

/// <summary>
/// Writes a whisper.cpp ggml model with random weights, laid out exactly as whisper.cpp's
/// <c>whisper_model_load</c> reads it: the magic, the 11 hyper-parameters, a mel filter bank (n_mel × 201 bins of a
/// 400-point FFT at 16 kHz, Slaney mel scale and area normalisation), the vocabulary, then one record per tensor
/// (n_dims, name length, type, ne[0..n_dims) in ggml order — fastest-varying first —, the name, the data).
/// The weights are random except for a scripted decoder (multilingual models): whatever the audio, greedy decoding
/// says <see cref="ScriptedText"/>. That makes Whisper.net's whole loading and decoding path run, with a known
/// answer, in CI without a downloaded model. The output is a pure function of the hyper-parameters and the seed.
/// </summary>
public static class GgmlWhisperModelWriter
{
    const int SampleRate = 16000;
    const int NFft = 400;
    const int GgmlF32 = 0, GgmlF16 = 1;

    /// <summary>What the scripted decoder of a multilingual model says, whatever the audio.</summary>
    public const string ScriptedText = "tudo bem";

    /// <summary>Standard deviation of the decoder's positional embedding: large, so position steers the decoder.</summary>
    const double PositionScale = 3.0;

    /// <summary>Scale of a scripted token's row along its position's direction: logit ≈ 0.3 · 64 ≈ 19.</summary>
    const double ScriptScale = 0.3;


    public static void Write(string path, GgmlWhisperHParams hp, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hp);
        if (hp.FType is not (0 or 1)) throw new ArgumentException($"ftype {hp.FType}: only 0 (f32) and 1 (f16) are written", nameof(hp));
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var w = new BinaryWriter(new BufferedStream(stream, 1 << 20), Encoding.UTF8);
        w.Write(GgmlWhisperModelFile.Magic);
        foreach (var v in hp.ToArray()) w.Write(v);

        // Mel filters: [n_mel][n_fft/2 + 1], row-major.
        int bins = NFft / 2 + 1;
        w.Write(hp.NMels);
        w.Write(bins);
        foreach (var f in MelFilterBank(hp.NMels, bins)) w.Write(f);

        // Vocabulary: the text tokens only; whisper.cpp names the special, language and timestamp tokens itself
        // ("[_EOT_]", "[_LANG_pt]", "[_TT_…]") when the file holds fewer tokens than n_vocab.
        // Text tokens are the ids below end-of-text: 50257 in multilingual vocabularies, 50256 in English-only ones.
        int tokens = hp.IsMultilingual ? 50257 : 50256;
        w.Write(tokens);
        for (int i = 0; i < tokens; i++)
        {
            var bytes = Encoding.ASCII.GetBytes(TokenText(i));
            w.Write((uint)bytes.Length);
            w.Write(bytes);
        }

        var random = new Random(seed);
        var scripted = hp.IsMultilingual ? ScriptDecoder(hp, random) : new Dictionary<string, float[]>();
        foreach (var t in Tensors(hp))
        {
            var name = Encoding.ASCII.GetBytes(t.Name);
            w.Write(t.Ne.Length);
            w.Write(name.Length);
            w.Write(t.Type);
            foreach (var ne in t.Ne) w.Write(ne);
            w.Write(name);
            long count = t.Ne.Aggregate(1L, (a, b) => a * b);
            scripted.TryGetValue(t.Name, out var fixedValues);
            for (long i = 0; i < count; i++)
            {
                float value = fixedValues != null ? fixedValues[i] : t.Fill switch
                {
                    GgmlTensorFill.Zeros => 0f,
                    GgmlTensorFill.Ones => 1f,
                    _ => (float)(0.02 * Gaussian(random)),
                };
                if (t.Type == GgmlF16) w.Write(BitConverter.HalfToInt16Bits((Half)value));
                else w.Write(value);
            }
        }
    }

    /// <summary>
    /// Every tensor whisper.cpp creates for <paramref name="hp"/>, in its creation order, with ggml shapes
    /// (ne0 first) and storage types: matrices in the model's type, convolution kernels f16 unless the model is f32,
    /// positional embeddings, norms and biases f32.
    /// </summary>
    public static IReadOnlyList<GgmlTensorSpec> Tensors(GgmlWhisperHParams hp)
    {
        int wtype = hp.FType == 0 ? GgmlF32 : GgmlF16;
        int s = hp.NAudioState, t = hp.NTextState;
        var list = new List<GgmlTensorSpec>();
        void Add(string name, int type, GgmlTensorFill fill, params int[] ne) => list.Add(new GgmlTensorSpec(name, ne, type, fill));

        Add("encoder.positional_embedding", GgmlF32, GgmlTensorFill.Random, s, hp.NAudioCtx);
        Add("encoder.conv1.weight", wtype, GgmlTensorFill.Random, 3, hp.NMels, s);
        Add("encoder.conv1.bias", GgmlF32, GgmlTensorFill.Zeros, 1, s);
        Add("encoder.conv2.weight", wtype, GgmlTensorFill.Random, 3, s, s);
        Add("encoder.conv2.bias", GgmlF32, GgmlTensorFill.Zeros, 1, s);
        Add("encoder.ln_post.weight", GgmlF32, GgmlTensorFill.Ones, s);
        Add("encoder.ln_post.bias", GgmlF32, GgmlTensorFill.Zeros, s);
        for (int i = 0; i < hp.NAudioLayer; i++) AddBlock($"encoder.blocks.{i}", s, cross: false);

        Add("decoder.positional_embedding", GgmlF32, GgmlTensorFill.Random, t, hp.NTextCtx);
        Add("decoder.token_embedding.weight", wtype, GgmlTensorFill.Random, t, hp.NVocab);
        Add("decoder.ln.weight", GgmlF32, GgmlTensorFill.Ones, t);
        Add("decoder.ln.bias", GgmlF32, GgmlTensorFill.Zeros, t);
        for (int i = 0; i < hp.NTextLayer; i++) AddBlock($"decoder.blocks.{i}", t, cross: true);
        return list;

        void AddBlock(string prefix, int n, bool cross)
        {
            Add($"{prefix}.mlp_ln.weight", GgmlF32, GgmlTensorFill.Ones, n);
            Add($"{prefix}.mlp_ln.bias", GgmlF32, GgmlTensorFill.Zeros, n);
            Add($"{prefix}.mlp.0.weight", wtype, GgmlTensorFill.Random, n, 4 * n);
            Add($"{prefix}.mlp.0.bias", GgmlF32, GgmlTensorFill.Zeros, 4 * n);
            Add($"{prefix}.mlp.2.weight", wtype, GgmlTensorFill.Random, 4 * n, n);
            Add($"{prefix}.mlp.2.bias", GgmlF32, GgmlTensorFill.Zeros, n);
            AddAttention($"{prefix}.attn", $"{prefix}.attn_ln", n);
            if (cross) AddAttention($"{prefix}.cross_attn", $"{prefix}.cross_attn_ln", n);
        }

        void AddAttention(string attn, string ln, int n)
        {
            Add($"{ln}.weight", GgmlF32, GgmlTensorFill.Ones, n);
            Add($"{ln}.bias", GgmlF32, GgmlTensorFill.Zeros, n);
            Add($"{attn}.query.weight", wtype, GgmlTensorFill.Random, n, n);
            Add($"{attn}.query.bias", GgmlF32, GgmlTensorFill.Zeros, n);
            Add($"{attn}.key.weight", wtype, GgmlTensorFill.Random, n, n); // whisper's key projection has no bias
            Add($"{attn}.value.weight", wtype, GgmlTensorFill.Random, n, n);
            Add($"{attn}.value.bias", GgmlF32, GgmlTensorFill.Zeros, n);
            Add($"{attn}.out.weight", wtype, GgmlTensorFill.Random, n, n);
            Add($"{attn}.out.bias", GgmlF32, GgmlTensorFill.Zeros, n);
        }
    }

    /// <summary>
    /// Makes greedy decoding say <see cref="ScriptedText"/> in one timestamped segment, so a test can check the whole
    /// decode path against a known transcript. The decoder's positional embedding (std 3) dominates its residual
    /// stream (token rows and block outputs are ~0.02-scale), so the final layer norm at position p is close to
    /// LN(pe[p]); the output projection is the token embedding, so the token whose row is 0.3 · LN(pe[p]) wins at p
    /// by a margin of ~19 nats. whisper.cpp's prompt is ⟨SOT⟩ ⟨lang⟩ ⟨transcribe⟩ at positions 0-2, hence the script:
    /// position 2 → ⟨0.00⟩, 3.. → the characters, then ⟨1.00⟩ and ⟨EOT⟩, which satisfies its timestamp rules (an
    /// opening timestamp ≤ max_initial_ts, text, a later closing timestamp, end). Returns the two tensors' values.
    /// </summary>
    static Dictionary<string, float[]> ScriptDecoder(GgmlWhisperHParams hp, Random random)
    {
        int d = hp.NTextState;
        var pe = new float[d * hp.NTextCtx];
        for (int i = 0; i < pe.Length; i++) pe[i] = (float)(PositionScale * Gaussian(random));
        var te = new float[(long)d * hp.NVocab];
        for (long i = 0; i < te.Length; i++) te[i] = (float)(0.02 * Gaussian(random));

        // whisper.cpp's multilingual ids: end-of-text 50257; the first timestamp 50363 + (languages - 98).
        int languages = hp.NVocab - 51765 - 1;
        int eot = 50257, timestampBegin = 50363 + (languages - 98);
        var script = new List<int> { timestampBegin };
        script.AddRange(ScriptedText.Select(c => c - 32)); // TokenText(id) = (char)(32 + id) for single characters
        script.Add(timestampBegin + 50); // 1.00 s (timestamps are 20 ms apart)
        script.Add(eot);
        if (script.Distinct().Count() != script.Count || 2 + script.Count > hp.NTextCtx)
            throw new InvalidOperationException("the decoder script needs distinct tokens that fit the text context");

        for (int k = 0; k < script.Count; k++)
        {
            var row = new ReadOnlySpan<float>(pe, (2 + k) * d, d);
            double mean = 0, variance = 0;
            foreach (var v in row) mean += v;
            mean /= d;
            foreach (var v in row) variance += (v - mean) * (v - mean);
            double std = Math.Sqrt(variance / d + 1e-5);
            for (int j = 0; j < d; j++) te[(long)script[k] * d + j] = (float)(ScriptScale * (row[j] - mean) / std);
        }
        return new Dictionary<string, float[]>
        {
            ["decoder.positional_embedding"] = pe,
            ["decoder.token_embedding.weight"] = te,
        };
    }

    /// <summary>Printable single characters first, then short ASCII syllables: every token decodes to plain text.</summary>
    static string TokenText(int id)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyz";
        if (id < 95) return ((char)(32 + id)).ToString();
        int k = id - 95;
        return " " + Letters[k % 26] + Letters[k / 26 % 26] + (k >= 676 ? Letters[k / 676 % 26].ToString() : "");
    }

    /// <summary>Triangular mel filters on the Slaney mel scale with Slaney area normalisation (librosa's default).</summary>
    static float[] MelFilterBank(int nMels, int bins)
    {
        static double HzToMel(double hz) => hz < 1000 ? hz * 3 / 200 : 15 + Math.Log(hz / 1000) / (Math.Log(6.4) / 27);
        static double MelToHz(double mel) => mel < 15 ? mel * 200 / 3 : 1000 * Math.Exp((mel - 15) * Math.Log(6.4) / 27);

        double maxMel = HzToMel(SampleRate / 2.0);
        var edges = Enumerable.Range(0, nMels + 2).Select(i => MelToHz(maxMel * i / (nMels + 1))).ToArray();
        var filters = new float[nMels * bins];
        for (int m = 0; m < nMels; m++)
        {
            double lo = edges[m], mid = edges[m + 1], hi = edges[m + 2], norm = 2.0 / (hi - lo);
            for (int b = 0; b < bins; b++)
            {
                double hz = (double)b * SampleRate / NFft;
                double weight = Math.Max(0, Math.Min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid)));
                filters[m * bins + b] = (float)(weight * norm);
            }
        }
        return filters;
    }

    static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>One tensor of a whisper ggml model: name, ggml shape (ne0 first), ggml type (0 f32, 1 f16).</summary>
public sealed record GgmlTensorSpec(string Name, int[] Ne, int Type, GgmlTensorFill Fill);

/// <summary>How <see cref="GgmlWhisperModelWriter"/> fills a tensor: N(0, 0.02) noise, zeros (biases) or ones (norm gains).</summary>
public enum GgmlTensorFill { Random, Zeros, Ones }

namespace F5Parity.Asr;

/// <summary>
/// The hyper-parameters at the head of a whisper.cpp ggml model file, in file order (whisper.cpp's
/// <c>whisper_hparams</c>, read by <c>whisper_model_load</c>). <see cref="FType"/> 0 stores the large matrices as
/// float32, 1 as float16 (the usual ggml-*.bin models).
/// </summary>
public sealed record GgmlWhisperHParams(
    int NVocab, int NAudioCtx, int NAudioState, int NAudioHead, int NAudioLayer,
    int NTextCtx, int NTextState, int NTextHead, int NTextLayer, int NMels, int FType)
{
    /// <summary>
    /// A deliberately tiny multilingual configuration (one 64-wide layer each side, the real vocabulary size and
    /// context lengths so whisper.cpp's special tokens, language tokens and 30 s window work unchanged); its ggml file
    /// is about 7.5 MB, dominated by the 51865 × 64 float16 token embedding.
    /// </summary>
    public static GgmlWhisperHParams Tiny { get; } = new(
        NVocab: 51865, NAudioCtx: 1500, NAudioState: 64, NAudioHead: 4, NAudioLayer: 1,
        NTextCtx: 448, NTextState: 64, NTextHead: 4, NTextLayer: 1, NMels: 80, FType: 1);

    /// <summary>Multilingual models have 51865 or more tokens (whisper.cpp's <c>is_multilingual</c>).</summary>
    public bool IsMultilingual => NVocab >= 51865;

    /// <summary>Tensors whisper.cpp expects: 11 global, 15 per encoder block, 24 per decoder block.</summary>
    public int TensorCount => 11 + 15 * NAudioLayer + 24 * NTextLayer;

    /// <summary>The eleven values in file order (what a ggml file's header holds after the magic).</summary>
    public int[] ToArray() =>
        [NVocab, NAudioCtx, NAudioState, NAudioHead, NAudioLayer, NTextCtx, NTextState, NTextHead, NTextLayer, NMels, FType];

    internal static GgmlWhisperHParams FromArray(int[] v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
}

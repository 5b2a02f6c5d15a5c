using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>TextEmbedding</c> (model/backbones/dit.py): token ids are shifted by +1 so that 0 is the filler
/// (batch padding −1 becomes 0), cut or zero-padded to the mel length, embedded (<c>text_embed</c>, <c>n_tokens + 1</c>
/// rows), and — when <c>conv_layers &gt; 0</c> — given the absolute sinusoidal table (<c>freqs_cis</c>, a non-persistent
/// buffer of 4096 positions) and run through <c>text_blocks</c> (<see cref="ConvNeXtV2Block"/>s). With
/// <c>mask_padding</c> (v1) the filler positions, found BEFORE <c>drop_text</c> zeroes the ids, are set to 0 before and
/// after every block; without it (v0) the blocks run as a plain sequence.
/// </summary>
public sealed class TextEmbedding : Module<Tensor, long, bool, Tensor?, Tensor>
{
    /// <summary>Positions covered by <c>freqs_cis</c> (~44 s of 24 kHz audio); later positions reuse the last row.</summary>
    public const long PrecomputeMaxPos = 4096;

    readonly Embedding text_embed;
    readonly ModuleList<ConvNeXtV2Block>? text_blocks;
    readonly Tensor? freqs_cis;
    readonly bool _maskPadding;
    readonly bool _averageUpsampling;

    public TextEmbedding(long textNumEmbeds, long textDim, bool maskPadding = true, bool averageUpsampling = false,
        long convLayers = 0, long convMult = 2, Device? device = null) : base(nameof(TextEmbedding))
    {
        if (averageUpsampling && !maskPadding)
            throw new ArgumentException("text_embedding_average_upsampling requires text_mask_padding", nameof(averageUpsampling));
        _maskPadding = maskPadding;
        _averageUpsampling = averageUpsampling;
        text_embed = Embedding(textNumEmbeds + 1, textDim, device: device); // row 0 = filler
        if (convLayers > 0)
        {
            freqs_cis = FreqsCis.Precompute(textDim, PrecomputeMaxPos, device: device);
            register_buffer(nameof(freqs_cis), freqs_cis, persistent: false);
            // Upstream holds the blocks in an nn.Sequential; a ModuleList gives the same keys (text_blocks.i.*) and lets
            // the masked variant step through them.
            text_blocks = ModuleList(Enumerable.Range(0, (int)convLayers)
                .Select(_ => new ConvNeXtV2Block(textDim, textDim * convMult, device: device)).ToArray());
        }
        RegisterComponents();
    }

    /// <param name="text">b nt: token ids, batch padding −1.</param>
    /// <param name="seqLen">n: the mel length to fit the text to.</param>
    /// <param name="dropText">Replace every id by the filler (classifier-free guidance).</param>
    /// <param name="audioMask">
    /// b n (true = frame present) or null. Frames past an item's audio become filler and their embedding (token and
    /// position) is zeroed before the ConvNeXt blocks, so a shorter item of a batch is embedded as if the batch had its
    /// length (v1) or with zeros beyond its end (v0: the blocks then run over them unmasked).
    /// </param>
    /// <returns>b n d_text.</returns>
    public override Tensor forward(Tensor text, long seqLen, bool dropText, Tensor? audioMask)
    {
        if (_averageUpsampling)
            throw new NotSupportedException("text_embedding_average_upsampling is not ported (no upstream reference covers it)");
        using var scope = NewDisposeScope();
        text = text.add(IntOne, alpha: IntOne);                                    // text + 1: 0 = filler
        text = text[TensorIndex.Colon, TensorIndex.Slice(0, seqLen)];              // cut to n
        long batch = text.shape[0], textLen = text.shape[1];
        text = nn.functional.pad(text, [0, seqLen - textLen], value: 0);           // b n
        Tensor? pastAudio = audioMask?.logical_not();                              // b n
        if (pastAudio is not null) text = text.masked_fill(pastAudio, IntZero);
        Tensor? textMask = _maskPadding ? text.eq(IntZero) : null;                 // b n, before drop_text
        if (dropText) text = zeros_like(text);

        var emb = text_embed.call(text);                                           // b n d
        if (text_blocks is not null)
        {
            var batchStart = zeros(batch, dtype: ScalarType.Int64, device: text.device);
            var posIdx = FreqsCis.PosEmbedIndices(batchStart, seqLen, PrecomputeMaxPos); // b n
            emb = emb.add(freqs_cis!.index_select(0, posIdx.flatten()).view(batch, seqLen, -1).to(emb.dtype), alpha: IntOne); // b n d (the buffer follows the model dtype, as upstream's does under model.to)
        }
        if (pastAudio is not null) emb = emb.masked_fill(pastAudio.unsqueeze(-1), DoubleZero);

        if (text_blocks is not null)
        {
            if (textMask is not null)
            {
                var pad = textMask.unsqueeze(-1);                                  // b n 1
                emb = emb.masked_fill(pad, DoubleZero);
                foreach (var block in text_blocks) emb = block.call(emb).masked_fill(pad, DoubleZero);
            }
            else
            {
                foreach (var block in text_blocks) emb = block.call(emb);
            }
        }
        return emb.MoveToOuterDisposeScope();
    }
}

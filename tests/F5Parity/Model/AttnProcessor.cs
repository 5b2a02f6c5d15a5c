using F5Parity.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.TensorIndex;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>AttnProcessor</c> (model/modules.py) with <c>attn_backend = "torch"</c>: the arithmetic of an
/// <see cref="Attention"/> call. Projections to <c>b h n d_head</c>, optional q/k RMSNorm, rotary embedding on the first
/// <c>pe_attn_head</c> heads (or all when null), attention, output projection and dropout, and — whenever a mask is
/// given, whether or not it was used inside attention — output rows of padded frames set to 0.
/// </summary>
public sealed class AttnProcessor(int? peAttnHead = null, bool attnMaskEnabled = true)
{
    /// <summary>Number of leading heads that get the rotary embedding; null = all (v1), 1 = only head 0 (v0).</summary>
    public int? PeAttnHead { get; } = peAttnHead;

    /// <summary>Whether the audio mask is applied inside attention (upstream DiT default: false).</summary>
    public bool AttnMaskEnabled { get; } = attnMaskEnabled;

    /// <param name="attn">The module holding the projections.</param>
    /// <param name="x">b n d: the normalised, modulated input.</param>
    /// <param name="mask">b n (true = frame present) or null.</param>
    /// <param name="rope">Rotary angles for the n positions, or null.</param>
    /// <returns>b n d.</returns>
    public Tensor Call(Attention attn, Tensor x, Tensor? mask, RotaryFreqs? rope)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0];

        Tensor query, key, value;
        using (ForwardProfile.Time(ForwardPart.QkvProjections))
        {
            query = Autocast.Linear(attn.to_q, x);                                 // b n h·dh
            key = Autocast.Linear(attn.to_k, x);
            value = Autocast.Linear(attn.to_v, x);
        }

        // Norms and rotary work per head on the projections' own contiguous b n h dh layout; upstream transposes to
        // b h n dh first, which changes no element-wise result.
        long innerDim = key.shape[^1], headDim = innerDim / attn.Heads;
        query = query.view(batch, -1, attn.Heads, headDim);                    // b n h dh
        key = key.view(batch, -1, attn.Heads, headDim);
        value = value.view(batch, -1, attn.Heads, headDim);

        using (ForwardProfile.Time(ForwardPart.Norms))
        {
            if (attn.q_norm is not null) query = attn.q_norm.call(query);
            if (attn.k_norm is not null) key = attn.k_norm.call(key);
        }

        if (rope is not null)
        using (ForwardProfile.Time(ForwardPart.Rotary))
        {
            long n = query.shape[1];
            var cos = rope.Cos[Colon, Slice(-n)].unsqueeze(2);                  // the last n angles: 1 n 1 dh, shared by all heads
            var sin = rope.SignedSin[Colon, Slice(-n)].unsqueeze(2);
            double qScale = rope.XposScale, kScale = 1.0 / rope.XposScale;
            if (PeAttnHead is int pn)
            {
                // Only heads [0, pn) are rotated; the others pass through unchanged.
                query = cat([RotaryEmbedding.ApplyRotaryPosEmb(query[Colon, Colon, Slice(0, pn)], cos, sin, qScale), query[Colon, Colon, Slice(pn)]], 2);
                key = cat([RotaryEmbedding.ApplyRotaryPosEmb(key[Colon, Colon, Slice(0, pn)], cos, sin, kScale), key[Colon, Colon, Slice(pn)]], 2);
            }
            else
            {
                query = RotaryEmbedding.ApplyRotaryPosEmb(query, cos, sin, qScale);
                key = RotaryEmbedding.ApplyRotaryPosEmb(key, cos, sin, kScale);
            }
        }
        query = query.transpose(1, 2);                                          // b h n dh
        key = key.transpose(1, 2);
        value = value.transpose(1, 2);

        Tensor? attnMask = null;
        if (AttnMaskEnabled && mask is not null)
            attnMask = mask.unsqueeze(1).unsqueeze(1).expand(batch, attn.Heads, query.shape[^2], key.shape[^2]); // b h n n

        Tensor output;
        using (ForwardProfile.Time(ForwardPart.Attention))
        {
            // scaled_dot_product_attention is one op on autocast's lower-precision list: q, k, v in the low dtype, output too.
            // Its arithmetic, not libtorch's fused kernel: the fused kernel (4x less time here) rounds differently, and the
            // committed fixtures (trained and sampled with this arithmetic) would no longer regenerate byte for byte.
            output = Autocast.LowerPrecision(qkv => DotProductAttention(qkv[0]!, qkv[1]!, qkv[2]!, attnMask),
                query, key, value);                                                   // b h n dh
            output = output.transpose(1, 2).reshape(batch, -1, attn.Heads * headDim); // b n h·dh
            output = output.to(query.dtype);
        }

        using (ForwardProfile.Time(ForwardPart.OutProjection))
        {
            output = Autocast.Call(attn.to_out[0], output);                          // linear projection
            output = attn.to_out[1].call(output);                                    // dropout
        }

        if (mask is not null) output = output.masked_fill(mask.unsqueeze(-1).logical_not(), DoubleZero);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>softmax(q·kᵀ/√d_head + mask)·v</c>, the arithmetic of torch's <c>scaled_dot_product_attention</c> with dropout 0
    /// and no causal mask; a boolean mask keeps the <c>true</c> positions. AttnProcessorTests check it against libtorch's
    /// fused kernel (upstream's call).
    /// </summary>
    /// <param name="query">b h n dh.</param>
    /// <param name="key">b h m dh.</param>
    /// <param name="value">b h m dh.</param>
    /// <param name="mask">b h n m boolean, or null.</param>
    /// <returns>b h n dh.</returns>
    public static Tensor DotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        using var scale = (1.0 / Math.Sqrt(query.shape[^1])).ToScalar();
        var scores = query.matmul(key.transpose(-2, -1)) * scale;                 // b h n m
        if (mask is not null) scores = scores.masked_fill(mask.logical_not(), DoubleNegativeInfinity);
        return scores.softmax(-1).matmul(value).MoveToOuterDisposeScope();
    }
}

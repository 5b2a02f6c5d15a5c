using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>DiTBlock</c> (model/modules.py): adaptive pre-norm (<c>attn_norm</c>, <see cref="AdaLayerNormZero"/>),
/// self-attention with a gated residual, then a LayerNorm without affine (<c>ff_norm</c>, eps 1e-6) modulated by the
/// time embedding and a tanh-GELU <see cref="FeedForward"/> with a gated residual.
/// </summary>
public sealed class DiTBlock : Module<Tensor, Tensor, Tensor?, RotaryFreqs?, Tensor>
{
    readonly AdaLayerNormZero attn_norm;
    readonly Attention attn;
    readonly LayerNorm ff_norm;
    readonly FeedForward ff;

    public DiTBlock(long dim, long heads, long dimHead, double ffMult = 4, double dropout = 0.1, string? qkNorm = null,
        int? peAttnHead = null, bool attnMaskEnabled = true, Device? device = null) : base(nameof(DiTBlock))
    {
        attn_norm = new AdaLayerNormZero(dim, device);
        attn = new Attention(new AttnProcessor(peAttnHead, attnMaskEnabled), dim, heads, dimHead, dropout, qkNorm, device);
        ff_norm = LayerNorm(dim, eps: 1e-6, elementwise_affine: false, device: device);
        ff = new FeedForward(dim, mult: ffMult, dropout: dropout, approximate: TorchSharp.Modules.GELU.Approximate.tanh, device: device);
        RegisterComponents();
    }

    /// <param name="x">b n d: the hidden sequence.</param>
    /// <param name="t">b d: the time embedding.</param>
    /// <param name="mask">b n (true = frame present) or null.</param>
    /// <param name="rope">Rotary angles, or null.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x, Tensor t, Tensor? mask, RotaryFreqs? rope)
    {
        using var scope = NewDisposeScope();
        AdaLayerNormZero.Output ada;
        using (ForwardProfile.Time(ForwardPart.Norms)) ada = attn_norm.call(x, t);
        var (norm, gateMsa, shiftMlp, scaleMlp, gateMlp) = ada;
        var attnOutput = attn.call(norm, mask, rope);                              // b n d
        x = x.add(gateMsa.unsqueeze(1) * attnOutput, alpha: IntOne);                // x + gate_msa * attn_output

        Tensor ffIn, ffOutput;
        using (ForwardProfile.Time(ForwardPart.Norms))
            ffIn = (ff_norm.call(Autocast.Fp32(x)) * scaleMlp.unsqueeze(1).add(IntOne, alpha: IntOne)) // norm(x) * (1 + scale_mlp)
                .add(shiftMlp.unsqueeze(1), alpha: IntOne);                                          // + shift_mlp
        using (ForwardProfile.Time(ForwardPart.FeedForward)) ffOutput = ff.call(ffIn); // b n d
        x = x.add(gateMlp.unsqueeze(1) * ffOutput, alpha: IntOne);                 // x + gate_mlp * ff_output
        return x.MoveToOuterDisposeScope();
    }
}

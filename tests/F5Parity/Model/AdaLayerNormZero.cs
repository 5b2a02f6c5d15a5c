using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>AdaLayerNorm</c> (model/modules.py), the adaptive ("zero"-initialised in DiT) pre-norm of a
/// <see cref="DiTBlock"/>: <c>linear(SiLU(t))</c> gives 6·d values chunked in upstream's order
/// <c>shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp</c>; the input is normalised by a LayerNorm without
/// affine (eps 1e-6) and modulated <c>norm(x)·(1 + scale_msa) + shift_msa</c>. The other four chunks are returned for the
/// block's gates and feed-forward modulation.
/// </summary>
public sealed class AdaLayerNormZero : Module<Tensor, Tensor, AdaLayerNormZero.Output>
{
    /// <summary>The modulated input (b n d) and the remaining modulation chunks (each b d).</summary>
    public readonly record struct Output(Tensor Norm, Tensor GateMsa, Tensor ShiftMlp, Tensor ScaleMlp, Tensor GateMlp);

    readonly SiLU silu;
    readonly Linear linear;
    readonly LayerNorm norm;

    public AdaLayerNormZero(long dim, Device? device = null) : base(nameof(AdaLayerNormZero))
    {
        silu = SiLU();
        linear = Linear(dim, dim * 6, device: device);
        norm = LayerNorm(dim, eps: 1e-6, elementwise_affine: false, device: device);
        RegisterComponents();
    }

    /// <param name="x">b n d.</param>
    /// <param name="emb">b d: the time embedding.</param>
    public override Output forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var chunks = Autocast.Linear(linear, silu.call(emb)).chunk(6, dim: 1);   // 6 x (b d)
        var (shiftMsa, scaleMsa, gateMsa) = (chunks[0], chunks[1], chunks[2]);
        var (shiftMlp, scaleMlp, gateMlp) = (chunks[3], chunks[4], chunks[5]);
        var normed = (norm.call(Autocast.Fp32(x)) * scaleMsa.unsqueeze(1).add(IntOne, alpha: IntOne)) // norm(x) * (1 + scale_msa)
            .add(shiftMsa.unsqueeze(1), alpha: IntOne);                                                 // + shift_msa: b n d
        return new Output(normed.MoveToOuterDisposeScope(), gateMsa.MoveToOuterDisposeScope(),
            shiftMlp.MoveToOuterDisposeScope(), scaleMlp.MoveToOuterDisposeScope(), gateMlp.MoveToOuterDisposeScope());
    }
}

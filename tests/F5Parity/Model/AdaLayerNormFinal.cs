using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>AdaLayerNorm_Final</c> (model/modules.py), the DiT's <c>norm_out</c>: <c>linear(SiLU(t))</c> gives
/// 2·d values chunked as <c>scale, shift</c> — scale FIRST, the reverse of <see cref="AdaLayerNormZero"/>'s shift/scale
/// order — and the output is <c>norm(x)·(1 + scale) + shift</c> with a LayerNorm without affine (eps 1e-6).
/// </summary>
public sealed class AdaLayerNormFinal : Module<Tensor, Tensor, Tensor>
{
    readonly SiLU silu;
    readonly Linear linear;
    readonly LayerNorm norm;

    public AdaLayerNormFinal(long dim, Device? device = null) : base(nameof(AdaLayerNormFinal))
    {
        silu = SiLU();
        linear = Linear(dim, dim * 2, device: device);
        norm = LayerNorm(dim, eps: 1e-6, elementwise_affine: false, device: device);
        RegisterComponents();
    }

    /// <param name="x">b n d.</param>
    /// <param name="emb">b d: the time embedding.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var chunks = Autocast.Linear(linear, silu.call(emb)).chunk(2, dim: 1); // 2 x (b d)
        var (scale, shift) = (chunks[0], chunks[1]);
        var output = (norm.call(Autocast.Fp32(x)) * scale.add(IntOne, alpha: IntOne).unsqueeze(1)) // norm(x) * (1 + scale)
            .add(shift.unsqueeze(1), alpha: IntOne);                                                // + shift: b n d
        return output.MoveToOuterDisposeScope();
    }
}

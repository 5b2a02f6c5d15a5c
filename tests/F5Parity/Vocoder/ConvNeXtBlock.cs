using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Vocoder;

/// <summary>
/// Vocos's <c>ConvNeXtBlock</c> (vocos/modules.py, non-conditional form): depthwise conv (kernel 7, padding 3),
/// LayerNorm (eps 1e-6), Linear → GELU (erf) → Linear, layer scale <c>gamma</c>, residual. Works on (b, d, n).
/// Field names are the state-dict keys (<c>dwconv</c>, <c>norm</c>, <c>pwconv1</c>, <c>pwconv2</c>, <c>gamma</c>).
/// Under <see cref="Autocast"/>: conv and Linears in the low dtype, LayerNorm in float32, and the float32 <c>gamma</c>
/// promotes the branch (and so the residual stream) back to float32.
/// </summary>
public sealed class ConvNeXtBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    readonly Conv1d dwconv;
    readonly LayerNorm norm;
    readonly Linear pwconv1;
    readonly GELU act;
    readonly Linear pwconv2;
    readonly Parameter gamma;
#pragma warning restore IDE1006

    public ConvNeXtBlock(int dim, int intermediateDim, double layerScaleInitValue) : base(nameof(ConvNeXtBlock))
    {
        dwconv = nn.Conv1d(dim, dim, 7, padding: 3, groups: dim);
        norm = nn.LayerNorm(dim, eps: 1e-6);
        pwconv1 = nn.Linear(dim, intermediateDim);
        act = nn.GELU();
        pwconv2 = nn.Linear(intermediateDim, dim);
        using (var initValue = layerScaleInitValue.ToScalar()) gamma = nn.Parameter(full(dim, initValue));
        RegisterComponents();
    }

    /// <summary>x (b, d, n) → (b, d, n).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Depthwise conv through im2col: see Im2ColConv1d for the oneDNN fault it avoids.
        var h = Autocast.LowerPrecision(a => Im2ColConv1d.Forward(a[0]!, a[1]!, a[2], padding: 3, groups: x.shape[1]),
            x, dwconv.weight, dwconv.bias).transpose(1, 2);   // (b, n, d)
        h = norm.forward(Autocast.Fp32(h));
        h = Autocast.Linear(pwconv2, act.forward(Autocast.Linear(pwconv1, h))); // (b, n, d)
        h = (gamma * h).transpose(1, 2);                      // (b, d, n)
        return x.add(h, alpha: IntOne).MoveToOuterDisposeScope();
    }
}

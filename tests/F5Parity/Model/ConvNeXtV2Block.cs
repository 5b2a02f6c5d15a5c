using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>ConvNeXtV2Block</c> (model/modules.py), used by the text encoder: depth-wise Conv1d (kernel 7,
/// "same" padding), LayerNorm (eps 1e-6, affine), pointwise Linear to the intermediate width, exact GELU, <see cref="GRN"/>,
/// pointwise Linear back, residual add.
/// </summary>
public sealed class ConvNeXtV2Block : Module<Tensor, Tensor>
{
    readonly Conv1d dwconv;
    readonly LayerNorm norm;
    readonly Linear pwconv1;
    readonly GELU act;
    readonly GRN grn;
    readonly Linear pwconv2;

    public ConvNeXtV2Block(long dim, long intermediateDim, long dilation = 1, Device? device = null) : base(nameof(ConvNeXtV2Block))
    {
        long padding = dilation * (7 - 1) / 2;
        dwconv = Conv1d(dim, dim, 7, padding: padding, dilation: dilation, groups: dim, device: device);
        norm = LayerNorm(dim, eps: 1e-6, device: device);
        pwconv1 = Linear(dim, intermediateDim, device: device);
        act = GELU();
        grn = new GRN(intermediateDim, device);
        pwconv2 = Linear(intermediateDim, dim, device: device);
        RegisterComponents();
    }

    /// <param name="x">b n d.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var residual = x;
        var h = Autocast.Conv1d(dwconv, x.transpose(1, 2)).transpose(1, 2); // b n d -> b d n -> b n d
        h = norm.call(Autocast.Fp32(h));
        h = Autocast.Linear(pwconv1, h);                        // b n d'
        h = act.call(h);
        h = grn.call(h);
        h = Autocast.Linear(pwconv2, h);                        // b n d
        return residual.add(h, alpha: IntOne).MoveToOuterDisposeScope();
    }
}

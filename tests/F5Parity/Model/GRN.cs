using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>GRN</c> (Global Response Normalization, model/modules.py): the L2 norm is taken over the
/// sequence axis (dim 1 of <c>b n d</c>), normalised by its mean over channels (+1e-6), then
/// <c>gamma·(x·Nx) + beta + x</c>. Parameters <c>gamma</c>, <c>beta</c> of shape <c>1 1 d</c>, zero-initialised.
/// </summary>
public sealed class GRN : Module<Tensor, Tensor>
{
    /// <summary>The 1e-6 added to the mean norm.</summary>
    static readonly Scalar Eps = 1e-6.ToScalar();

    readonly Parameter gamma;
    readonly Parameter beta;

    public GRN(long dim, Device? device = null) : base(nameof(GRN))
    {
        gamma = new Parameter(zeros(1, 1, dim, device: device));
        beta = new Parameter(zeros(1, 1, dim, device: device));
        RegisterComponents();
    }

    /// <param name="x">b n d.</param>
    /// <returns>b n d.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gx = Autocast.Fp32(x).norm(1, keepdim: true, p: 2); // b 1 d (norm: fp32 under autocast)
        var nx = gx / gx.mean([-1], keepdim: true).add(Eps, alpha: IntOne); // gx / (mean + 1e-6): b 1 d
        return (gamma * (x * nx)).add(beta, alpha: IntOne).add(x, alpha: IntOne).MoveToOuterDisposeScope(); // gamma·(x·Nx) + beta + x
    }
}

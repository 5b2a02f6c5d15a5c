using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>RMSNorm</c> (model/modules.py), used for <c>qk_norm = "rms_norm"</c>:
/// <c>x · rsqrt(mean(x², -1) + eps) · weight</c>, the variance taken in float32 (upstream's own formula, which it runs on
/// torch &lt; 2.4; newer torch calls <c>F.rms_norm</c>, the same arithmetic). Parameter <c>weight</c> (d), ones.
/// Under <see cref="F5Parity.Torch.Autocast"/> nothing here is cast: <c>pow</c> and <c>rsqrt</c> (fp32 list) already get the
/// explicit float32 copy, and the float32 weight promotes the output to float32. (torch ≥ 2.4's <c>F.rms_norm</c> rounds
/// the normalised values to the input's dtype before the weight: one more low-precision rounding, not emulated.)
/// </summary>
public sealed class RMSNorm : Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly double _eps;

    public RMSNorm(long dim, double eps, Device? device = null) : base(nameof(RMSNorm))
    {
        _eps = eps;
        weight = new Parameter(ones(dim, device: device));
        RegisterComponents();
    }

    /// <param name="x">... d.</param>
    /// <returns>... d.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var eps = _eps.ToScalar();
        var variance = x.to(ScalarType.Float32).pow(IntTwo).mean([-1], keepdim: true); // ... 1
        var y = x * variance.add(eps, alpha: IntOne).rsqrt();                         // x · rsqrt(variance + eps)
        if (weight.dtype is ScalarType.Float16 or ScalarType.BFloat16) y = y.to(weight.dtype);
        return (y * weight).MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>SinusPositionEmbedding</c> (model/modules.py): the sinusoidal features of a scalar per batch item
/// (the flow-matching time), <c>[sin(s·x·ω_k) ‖ cos(s·x·ω_k)]</c> with <c>ω_k = exp(-k·ln(10000)/(d/2 - 1))</c>.
/// It has no parameters.
/// </summary>
public sealed class SinusPositionEmbedding : Module<Tensor, Tensor>
{
    /// <summary>The scale upstream's <c>forward</c> uses by default.</summary>
    public const double DefaultScale = 1000;

    readonly long _dim;

    public SinusPositionEmbedding(long dim) : base(nameof(SinusPositionEmbedding))
    {
        _dim = dim;
        RegisterComponents();
    }

    /// <param name="x">b: one value per batch item.</param>
    /// <returns>b d.</returns>
    public override Tensor forward(Tensor x) => forward(x, DefaultScale);

    /// <inheritdoc cref="forward(Tensor)"/>
    public Tensor forward(Tensor x, double scale)
    {
        using var scope = NewDisposeScope();
        long halfDim = _dim / 2;
        using var halfDimScalar = halfDim.ToScalar();
        using var minusStep = (-(Math.Log(10000) / (halfDim - 1))).ToScalar();
        using var scaleScalar = scale.ToScalar();
        var freqs = exp(arange(IntZero, halfDimScalar, IntOne, device: x.device).to(ScalarType.Float32) * minusStep); // d/2
        var emb = scaleScalar * x.unsqueeze(1) * freqs.unsqueeze(0);                        // b 1 * 1 d/2 -> b d/2
        return cat([emb.sin(), emb.cos()], -1).MoveToOuterDisposeScope();                // b d
    }
}

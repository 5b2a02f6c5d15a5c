using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// Ports of upstream's <c>precompute_freqs_cis</c> and <c>get_pos_embed_indices</c> (model/modules.py): the absolute
/// sinusoidal position table the text encoder adds before its ConvNeXt blocks.
/// </summary>
public static class FreqsCis
{
    /// <summary>
    /// <c>precompute_freqs_cis(dim, end, theta, theta_rescale_factor)</c>: angles <c>p·ω_k</c> with
    /// <c>ω_k = 1 / θ^(2k/dim)</c> for positions p &lt; end, returned as <c>[cos ‖ sin]</c> (not interleaved).
    /// </summary>
    /// <returns>end dim (float32).</returns>
    public static Tensor Precompute(long dim, long end, double theta = 10000.0, double thetaRescaleFactor = 1.0, Device? device = null)
    {
        using var scope = NewDisposeScope();
        theta *= Math.Pow(thetaRescaleFactor, dim / (dim - 2.0));
        using var dimScalar = dim.ToScalar();
        using var endScalar = end.ToScalar();
        var exponent = arange(IntZero, dimScalar, IntTwo, device: device)[TensorIndex.Slice(0, dim / 2)].to(ScalarType.Float32) / dimScalar; // dim/2
        var freqs = tensor((float)theta, device: device).pow(exponent).reciprocal();                                 // dim/2
        var t = arange(IntZero, endScalar, IntOne, device: device);                                                  // end
        var angles = outer(t, freqs).to(ScalarType.Float32);                                                         // end dim/2
        return cat([angles.cos(), angles.sin()], -1).MoveToOuterDisposeScope();                                      // end dim
    }

    /// <summary>
    /// <c>get_pos_embed_indices(start, length, max_pos, scale)</c>: positions <c>start + ⌊i·scale⌋</c>, clamped to
    /// <c>max_pos - 1</c>.
    /// </summary>
    /// <param name="start">b (int64).</param>
    /// <returns>b n (int64).</returns>
    public static Tensor PosEmbedIndices(Tensor start, long length, long maxPos, double scale = 1.0)
    {
        using var scope = NewDisposeScope();
        using var scaleScalar = scale.ToScalar();
        using var lengthScalar = length.ToScalar();
        using var maxPosScalar = maxPos.ToScalar();
        var scales = scaleScalar * ones_like(start, dtype: ScalarType.Float32);                            // b
        var steps = arange(IntZero, lengthScalar, IntOne, dtype: ScalarType.Float32, device: start.device).unsqueeze(0) * scales.unsqueeze(1);
        var pos = start.unsqueeze(1).add(steps.to(ScalarType.Int64), alpha: IntOne);                       // b n
        return where(pos < maxPosScalar, pos, tensor(maxPos - 1, device: start.device)).MoveToOuterDisposeScope();
    }
}

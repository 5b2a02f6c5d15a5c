using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// The rotary angles for a sequence, as what every block needs of x-transformers' <c>(freqs, xpos_scale)</c>: the cos
/// and sin of <c>freqs</c> (1 n d_head, each angle repeated for the two members of its interleaved pair), computed once
/// so that every block and head rotates with them instead of taking cos/sin again, and the xpos scale, which is the
/// float 1.0 when xpos is off (the only case upstream uses). <c>SignedSin</c> is <c>sin</c> with the even member of
/// each pair negated, the sign <c>rotate_half</c> gives (see <see cref="RotaryEmbedding.ApplyRotaryPosEmb"/>).
/// </summary>
public sealed record RotaryFreqs(Tensor Cos, Tensor SignedSin, double XposScale) : IDisposable
{
    public void Dispose()
    {
        Cos.Dispose();
        SignedSin.Dispose();
    }
}

/// <summary>
/// Port of x-transformers' <c>RotaryEmbedding</c> (x_transformers/x_transformers.py, 1.40 line) as upstream DiT builds it,
/// <c>RotaryEmbedding(dim_head)</c>: persistent buffer <c>inv_freq = 1 / base^(arange(0, d, 2)/d)</c> (base 10000),
/// interpolation factor 1, no xpos. Angles are <c>t ⊗ inv_freq</c> laid out interleaved (<c>... d -> ... (d r)</c>, r = 2),
/// and <see cref="ApplyRotaryPosEmb"/> rotates adjacent pairs <c>(x₂ᵢ, x₂ᵢ₊₁)</c>.
/// x-transformers decorates <c>forward</c> and <c>apply_rotary_pos_emb</c> with <c>autocast('cuda', enabled=False)</c>,
/// so both run with <see cref="Autocast"/> suspended: the angles stay float32 and a low-precision <c>t</c> is rotated in
/// float32 (promoted by the float32 angles) and cast back to its own dtype.
/// </summary>
public sealed class RotaryEmbedding : Module<Tensor, RotaryFreqs>
{
    readonly Tensor inv_freq;
    readonly double _interpolationFactor;

    public RotaryEmbedding(long dim, double interpolationFactor = 1.0, double @base = 10000, double baseRescaleFactor = 1.0,
        Device? device = null) : base(nameof(RotaryEmbedding))
    {
        if (interpolationFactor < 1.0) throw new ArgumentOutOfRangeException(nameof(interpolationFactor), "must be >= 1");
        _interpolationFactor = interpolationFactor;
        double b = @base * Math.Pow(baseRescaleFactor, dim / (dim - 2.0));
        using (var scope = NewDisposeScope())
        {
            using var dimScalar = dim.ToScalar();
            var exponent = arange(IntZero, dimScalar, IntTwo, device: device).to(ScalarType.Float32) / dimScalar; // d/2
            inv_freq = tensor((float)b, device: device).pow(exponent).reciprocal().MoveToOuterDisposeScope(); // d/2
        }
        register_buffer(nameof(inv_freq), inv_freq, persistent: true);
        RegisterComponents();
    }

    /// <summary>Angles for positions <c>0 .. seqLen-1</c>.</summary>
    public RotaryFreqs forward_from_seq_len(long seqLen)
    {
        using var seqLenScalar = seqLen.ToScalar();
        using var t = arange(IntZero, seqLenScalar, IntOne, device: inv_freq.device);
        return forward(t);
    }

    /// <param name="t">n (or b n): positions.</param>
    /// <returns>Cos and SignedSin 1 n d (or b n d), XposScale 1.0.</returns>
    public override RotaryFreqs forward(Tensor t)
    {
        using var noAutocast = Autocast.Suspend();
        using var scope = NewDisposeScope();
        if (t.ndim == 1) t = t.unsqueeze(0);                                                      // 1 n
        using var interpolationFactor = _interpolationFactor.ToScalar();
        var angles = einsum("bi,j->bij", t.to(inv_freq.dtype), inv_freq) / interpolationFactor;    // b n d/2
        var freqs = stack([angles, angles], -1).flatten(-2);                                      // b n d/2 2 -> b n d
        var sin = angles.sin();                                                                   // b n d/2
        var signedSin = stack([-sin, sin], -1).flatten(-2);                                       // b n d: (-sin, sin) per pair
        return new RotaryFreqs(freqs.cos().MoveToOuterDisposeScope(), signedSin.MoveToOuterDisposeScope(), 1.0);
    }

    /// <summary>
    /// The interleaved pairs <c>(x₂ᵢ, x₂ᵢ₊₁)</c> swapped to <c>(x₂ᵢ₊₁, x₂ᵢ)</c> in one copy: x-transformers' <c>rotate_half</c>,
    /// <c>(-x₂, x₁)</c> per pair, is this times <c>(-1, 1)</c>, which <see cref="RotaryFreqs.SignedSin"/> carries.
    /// </summary>
    /// <param name="x">... d (d even).</param>
    public static Tensor SwapPairs(Tensor x) => x.unflatten(x.ndim - 1, [x.shape[^1] / 2, 2]).flip(-1).flatten(-2);

    /// <summary>
    /// x-transformers <c>apply_rotary_pos_emb(t, freqs, scale)</c>: the first <c>rot_dim</c> channels rotated,
    /// <c>t·cos·scale + rotate_half(t)·sin·scale</c>, and the rest passed through. The angles' cos and signed sin come
    /// from <see cref="RotaryFreqs"/>, already broadcastable to <paramref name="t"/> (the caller picks the layout and the
    /// last n angles), so a block rotates with four element-wise passes and no cos/sin of its own:
    /// <c>rotate_half(t)·sin = SwapPairs(t)·SignedSin</c> exactly (a sign flip rounds nothing).
    /// </summary>
    /// <param name="t">... d, e.g. b n h d.</param>
    /// <param name="cos">cos of the angles, ... d_rot broadcastable to t (float32).</param>
    /// <param name="signedSin">sin with the even pair member negated, like <paramref name="cos"/>.</param>
    /// <returns>The shape and dtype of <paramref name="t"/>.</returns>
    public static Tensor ApplyRotaryPosEmb(Tensor t, Tensor cos, Tensor signedSin, double scale = 1.0)
    {
        using var noAutocast = Autocast.Suspend();
        using var scope = NewDisposeScope();
        long rotDim = cos.shape[^1];
        var origDtype = t.dtype;
        bool partial = rotDim < t.shape[^1];
        var rot = partial ? t[TensorIndex.Ellipsis, TensorIndex.Slice(0, rotDim)] : t;
        var rotated = SwapPairs(rot) * signedSin;                                     // rotate_half(t)·sin
        if (scale == 1.0)
        {
            rotated = (rot * cos).add_(rotated, alpha: IntOne);                                      // t·cos + rotate_half(t)·sin (·1.0 is exact)
        }
        else
        {
            using var s = scale.ToScalar();
            rotated = (rot * cos * s).add_(rotated * s, alpha: IntOne);                              // t·cos·scale + rotate_half(t)·sin·scale
        }
        if (partial) rotated = cat([rotated, t[TensorIndex.Ellipsis, TensorIndex.Slice(rotDim)]], -1);
        return rotated.to(origDtype).MoveToOuterDisposeScope();
    }
}

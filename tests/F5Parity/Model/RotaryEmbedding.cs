using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Model;

/// <summary>
/// The rotary angles for a sequence as x-transformers returns them: <c>Freqs</c> (1 n d_head, each angle repeated for the
/// two members of its interleaved pair) and the xpos scale, which is the float 1.0 when xpos is off (the only case
/// upstream uses).
/// </summary>
public sealed record RotaryFreqs(Tensor Freqs, double XposScale) : IDisposable
{
    public void Dispose() => Freqs.Dispose();
}

/// <summary>
/// Port of x-transformers' <c>RotaryEmbedding</c> (x_transformers/x_transformers.py, 1.40 line) as upstream DiT builds it,
/// <c>RotaryEmbedding(dim_head)</c>: persistent buffer <c>inv_freq = 1 / base^(arange(0, d, 2)/d)</c> (base 10000),
/// interpolation factor 1, no xpos. Angles are <c>t ⊗ inv_freq</c> laid out interleaved (<c>... d -> ... (d r)</c>, r = 2),
/// and <see cref="ApplyRotaryPosEmb"/>/<see cref="RotateHalf"/> rotate adjacent pairs <c>(x₂ᵢ, x₂ᵢ₊₁)</c>.
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
        using var scope = NewDisposeScope();
        using var seqLenScalar = seqLen.ToScalar();
        var t = arange(IntZero, seqLenScalar, IntOne, device: inv_freq.device);
        var result = forward(t);
        result.Freqs.MoveToOuterDisposeScope();
        return result;
    }

    /// <param name="t">n (or b n): positions.</param>
    /// <returns>Freqs 1 n d (or b n d), XposScale 1.0.</returns>
    public override RotaryFreqs forward(Tensor t)
    {
        using var noAutocast = Autocast.Suspend();
        using var scope = NewDisposeScope();
        if (t.ndim == 1) t = t.unsqueeze(0);                                                      // 1 n
        using var interpolationFactor = _interpolationFactor.ToScalar();
        var freqs = einsum("bi,j->bij", t.to(inv_freq.dtype), inv_freq) / interpolationFactor;     // b n d/2
        freqs = stack([freqs, freqs], -1).flatten(-2);                                            // b n d/2 2 -> b n d
        return new RotaryFreqs(freqs.MoveToOuterDisposeScope(), 1.0);
    }

    /// <summary>x-transformers <c>rotate_half</c>, interleaved: each pair <c>(x₁, x₂)</c> becomes <c>(-x₂, x₁)</c>.</summary>
    /// <param name="x">... d (d even).</param>
    public static Tensor RotateHalf(Tensor x)
    {
        using var scope = NewDisposeScope();
        long[] shape = [.. x.shape[..^1], x.shape[^1] / 2, 2];
        var pairs = x.reshape(shape).unbind(-1);                       // ... d -> ... d/2 2 -> 2 x (... d/2)
        var rotated = stack([-pairs[1], pairs[0]], -1).flatten(-2);    // ... d
        return rotated.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x-transformers <c>apply_rotary_pos_emb(t, freqs, scale)</c>: the last n angles are used, the first
    /// <c>rot_dim</c> channels rotated (<c>t·cos·scale + rotate_half(t)·sin·scale</c>) and the rest passed through.
    /// </summary>
    /// <param name="t">b h n d.</param>
    /// <param name="freqs">b n d_rot (b = 1 broadcast).</param>
    /// <returns>b h n d in the dtype of <paramref name="t"/>.</returns>
    public static Tensor ApplyRotaryPosEmb(Tensor t, Tensor freqs, double scale = 1.0)
    {
        using var noAutocast = Autocast.Suspend();
        using var scope = NewDisposeScope();
        long rotDim = freqs.shape[^1], seqLen = t.shape[^2];
        var origDtype = t.dtype;
        freqs = freqs[TensorIndex.Colon, TensorIndex.Slice(-seqLen), TensorIndex.Colon]; // last n angles
        if (t.ndim == 4 && freqs.ndim == 3) freqs = freqs.unsqueeze(1);     // b n d -> b 1 n d
        var rot = t[TensorIndex.Ellipsis, TensorIndex.Slice(0, rotDim)];
        var pass = t[TensorIndex.Ellipsis, TensorIndex.Slice(rotDim)];
        using var s = scale.ToScalar();
        rot = (rot * freqs.cos() * s).add(RotateHalf(rot) * freqs.sin() * s, alpha: IntOne); // t·cos·scale + rotate_half(t)·sin·scale
        return cat([rot, pass], -1).to(origDtype).MoveToOuterDisposeScope();
    }
}

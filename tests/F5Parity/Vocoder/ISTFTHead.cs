using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace F5Parity.Vocoder;

/// <summary>
/// Vocos's <c>ISTFTHead</c> (vocos/heads.py): <c>out</c> Linear(d, n_fft + 2) → split into log-magnitude and phase
/// halves; <c>mag = exp(mag).clip(max=1e2)</c>; the phase goes through <c>atan2(sin p, cos p)</c> and
/// <c>S = mag · exp(i·phase)</c> exactly as upstream writes it; then <see cref="ISTFT"/>. (b, n, d) → (b, (n − 1) · hop).
/// Under <see cref="Autocast"/>: <c>out</c> is a Linear (low dtype), <c>exp</c> of the magnitude is on the fp32 list,
/// sin/cos/atan2 keep the low dtype, and the phasor follows torch's complex promotion (<see cref="Phasor"/>).
/// </summary>
public sealed class ISTFTHead : nn.Module<Tensor, Tensor>
{
    /// <summary>Vocos's safeguard against excessively large magnitudes.</summary>
    public const double MaxMagnitude = 1e2;

    static readonly Scalar MaxMagnitudeScalar = MaxMagnitude.ToScalar();

#pragma warning disable IDE1006 // state-dict names
    readonly Linear @out;
    readonly ISTFT istft;
#pragma warning restore IDE1006

    public ISTFTHead(int dim, int nFft, int hopLength) : base(nameof(ISTFTHead))
    {
        @out = nn.Linear(dim, nFft + 2);
        istft = new ISTFT(nFft, hopLength, nFft);
        RegisterComponents();
    }

    /// <summary>x (b, n, d) → audio (b, (n − 1) · hop).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Autocast.Linear(@out, x).transpose(1, 2);        // (b, n_fft + 2, n)
        var halves = h.chunk(2, dim: 1);                         // 2 × (b, n_fft/2 + 1, n)
        var mag = Autocast.Fp32(halves[0]).exp().clip(max: MaxMagnitudeScalar);
        var p = halves[1];
        var phase = atan2(p.sin(), p.cos());
        var rotation = Phasor(phase);                            // exp(phase · 1j)
        var spec = mag * rotation;
        return istft.forward(spec).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>torch.exp(phase * 1j)</c>. A float32 phase gives complex64, computed as before. A low-precision phase (only under
    /// autocast) follows torch's promotion of <c>* 1j</c>: bfloat16 becomes complex64 (exactly; there is no complex
    /// bfloat16) and <c>exp</c> — not cast by autocast, complex tensors are not eligible — runs in complex64; float16
    /// becomes complex32, whose <c>exp</c> is computed in complex64 and rounded to float16 per part, which is emulated here
    /// (libtorch has no complex32 exp on the CPU).
    /// </summary>
    /// <param name="phase">b f n.</param>
    /// <returns>b f n, complex64.</returns>
    static Tensor Phasor(Tensor phase)
    {
        if (phase.dtype == ScalarType.Float32) return complex(zeros_like(phase), phase).exp();
        using var scope = NewDisposeScope();
        var angle = phase.to(ScalarType.Float32);
        var rotation = complex(zeros_like(angle), angle).exp();
        if (phase.dtype == ScalarType.Float16)
            rotation = complex(rotation.real.to(ScalarType.Float16).to(ScalarType.Float32),
                rotation.imag.to(ScalarType.Float16).to(ScalarType.Float32));
        return rotation.MoveToOuterDisposeScope();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace F5Parity.Vocoder;

/// <summary>
/// Vocos's <c>ISTFTHead</c> (vocos/heads.py): <c>out</c> Linear(d, n_fft + 2) → split into log-magnitude and phase
/// halves; <c>mag = exp(mag).clip(max=1e2)</c>; the phase goes through <c>atan2(sin p, cos p)</c> and
/// <c>S = mag · exp(i·phase)</c> exactly as upstream writes it; then <see cref="ISTFT"/>. (b, n, d) → (b, (n − 1) · hop).
/// </summary>
public sealed class ISTFTHead : nn.Module<Tensor, Tensor>
{
    /// <summary>Vocos's safeguard against excessively large magnitudes.</summary>
    public const double MaxMagnitude = 1e2;

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
        var h = @out.forward(x).transpose(1, 2);                 // (b, n_fft + 2, n)
        var halves = h.chunk(2, dim: 1);                         // 2 × (b, n_fft/2 + 1, n)
        var mag = halves[0].exp().clip(max: MaxMagnitude);
        var p = halves[1];
        var phase = atan2(p.sin(), p.cos());
        var rotation = complex(zeros_like(phase), phase).exp();  // exp(phase · 1j)
        var spec = mag * rotation;
        return istft.forward(spec).MoveToOuterDisposeScope();
    }
}

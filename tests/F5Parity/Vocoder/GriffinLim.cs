using F5Parity.Audio;
using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Vocoder;

/// <summary>
/// A vocoder that needs no weights: inverts the vocos-type log-mel of <see cref="MelSpec"/> by
/// (1) <c>exp</c> back to mel magnitudes, (2) the minimum-norm least-squares linear magnitude through the
/// pseudo-inverse of the HTK filterbank, clamped at 0, and (3) fast Griffin-Lim phase recovery as in
/// <c>torchaudio.functional.griffinlim</c> (zero-phase initialisation, so it is deterministic; momentum 0.99;
/// center=True reflect-padded STFTs with a periodic Hann window). Output length (frames − 1) · hop_length, like Vocos.
/// Useful as a weight-free baseline and a cross-check of the mel front end; it is not an upstream component.
/// </summary>
public sealed class GriffinLim : IVocoder, IDisposable
{
    /// <summary>torchaudio's guard against division by zero when normalising the phases.</summary>
    static readonly Scalar PhaseEps = 1e-16.ToScalar();

    readonly Tensor _window;
    /// <summary>(n_freqs, n_mels): maps mel magnitudes back to linear magnitudes (least squares).</summary>
    readonly Tensor _inverseFilterBank;

    public GriffinLim(int nFft = 1024, int hopLength = 256, int winLength = 1024, int nMels = 100, int sampleRate = 24_000,
        int nIter = 32, double momentum = 0.99)
    {
        if (nIter < 0) throw new ArgumentOutOfRangeException(nameof(nIter), "number of iterations must be >= 0");
        if (momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), "momentum must be in [0, 1)");
        NFft = nFft;
        HopLength = hopLength;
        WinLength = winLength;
        NMels = nMels;
        NIter = nIter;
        Momentum = momentum;
        _window = hann_window(winLength, periodic: true, dtype: ScalarType.Float32);
        using var scope = NewDisposeScope();
        var fb = MelFilterBank.Htk(nFft / 2 + 1, 0.0, sampleRate / 2, nMels, sampleRate).to(ScalarType.Float64); // (n_freqs, n_mels)
        // mel = fb^T @ spec  =>  spec ≈ pinv(fb^T) @ mel, computed in float64.
        _inverseFilterBank = linalg.pinv(fb.t()).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public string Name => "griffin-lim";
    public int NFft { get; }
    public int HopLength { get; }
    public int WinLength { get; }
    public int NMels { get; }
    public int NIter { get; }
    public double Momentum { get; }

    /// <summary>mel (b, n_mels, n) natural-log mel → wave (b, (n − 1) · hop_length).</summary>
    public Tensor Decode(Tensor mel)
    {
        if (mel.dim() != 3 || mel.shape[1] != NMels)
            throw new ArgumentException($"GriffinLim.Decode expects (b, {NMels}, frames); got [{string.Join(", ", mel.shape)}]");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var window = _window.to(mel.device);
        var magnitude = matmul(_inverseFilterBank.to(mel.device), mel.to(ScalarType.Float32).exp()).clamp(min: IntZero); // (b, n_freqs, n)

        // Fast Griffin-Lim (Perraudin et al.), torchaudio's formulation with a zero-phase start.
        var angles = ones_like(magnitude).to(ScalarType.ComplexFloat32);
        Tensor? previous = null;
        using var acceleration = (Momentum / (1 + Momentum)).ToScalar();
        for (int i = 0; i < NIter; i++)
        {
            var inverse = Istft(magnitude * angles, window);
            var rebuilt = stft(inverse, NFft, hop_length: HopLength, win_length: WinLength, window: window, center: true,
                pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true);
            angles = previous is null || Momentum == 0 ? rebuilt : rebuilt - previous * acceleration;
            angles = angles / angles.abs().add(PhaseEps, alpha: IntOne);
            previous = rebuilt;
        }
        var wave = Istft(magnitude * angles, window);
        return wave.MoveToOuterDisposeScope();
    }

    Tensor Istft(Tensor spec, Tensor window) =>
        istft(spec, NFft, hop_length: HopLength, win_length: WinLength, window: window, center: true);

    public void Dispose()
    {
        _window.Dispose();
        _inverseFilterBank.Dispose();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Vocoder;

/// <summary>
/// Vocos's <c>ISTFT</c> (vocos/spectral_ops.py) with <c>padding="center"</c>: <c>torch.istft(spec, n_fft, hop_length,
/// win_length, window, center=True)</c>, the periodic Hann <c>window</c> being a state-dict buffer. A spectrogram of
/// n frames gives (n − 1) · hop_length samples.
/// </summary>
public sealed class ISTFT : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    readonly Tensor window;
#pragma warning restore IDE1006

    public ISTFT(int nFft, int hopLength, int winLength) : base(nameof(ISTFT))
    {
        NFft = nFft;
        HopLength = hopLength;
        WinLength = winLength;
        window = hann_window(winLength, periodic: true, dtype: ScalarType.Float32);
        RegisterComponents();
    }

    public int NFft { get; }
    public int HopLength { get; }
    public int WinLength { get; }

    /// <summary>spec (b, n_fft/2 + 1, n) complex → audio (b, (n − 1) · hop).</summary>
    public override Tensor forward(Tensor spec)
    {
        using var scope = NewDisposeScope();
        var audio = istft(spec, NFft, hop_length: HopLength, win_length: WinLength, window: window, center: true);
        return audio.MoveToOuterDisposeScope();
    }
}

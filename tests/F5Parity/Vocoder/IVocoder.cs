using static TorchSharp.torch;

namespace F5Parity.Vocoder;

/// <summary>
/// Turns a vocos-type log-mel spectrogram back into a waveform, as upstream's <c>vocoder.decode(mel)</c> does after
/// sampling (utils_infer.py, trainer.py).
/// </summary>
public interface IVocoder
{
    /// <summary>mel (b, n_mels, frames), natural-log magnitudes → wave (b, (frames − 1) · hop_length), float32.</summary>
    Tensor Decode(Tensor mel);

    /// <summary>A short name for reports ("vocos", "griffin-lim").</summary>
    string Name { get; }
}

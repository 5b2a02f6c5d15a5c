using F5Parity.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Audio;

/// <summary>
/// Upstream's <c>MelSpec</c> (src/f5_tts/model/modules.py): raw waveform to log-mel spectrogram, with the two extractors
/// it chooses between.
/// <list type="bullet">
/// <item>"vocos" (<c>get_vocos_mel_spectrogram</c>): torchaudio <c>MelSpectrogram(power=1, center=True, reflect pad,
/// normalized=False, norm=None, htk)</c> = |stft| with a periodic Hann window, then the HTK filterbank
/// (<see cref="MelFilterBank.Htk"/>), then <c>clamp(min=1e-5).log()</c>. Frames: 1 + nw // hop.</item>
/// <item>"bigvgan" (<c>get_bigvgan_mel_spectrogram</c>): reflect pad by (n_fft - hop) / 2 on each side, stft with
/// center=False, magnitude <c>sqrt(re² + im² + 1e-9)</c>, librosa's slaney filterbank (<see cref="MelFilterBank.Slaney"/>),
/// then <c>log(clamp(min=1e-5))</c>. Frames: 1 + (nw + 2·pad − n_fft) // hop.</item>
/// </list>
/// Like upstream, the filterbank and window are not state (nothing is saved or loaded); this module has no parameters.
/// <c>filter_bank</c> (not an upstream argument) replaces the computed filterbank, for example with the one torchaudio
/// itself built and a Vocos checkpoint stores, so a test can separate the STFT from the filterbank construction.
/// Under <see cref="Autocast"/> (upstream's trainer computes a wave condition's mel inside its autocast block) the
/// filterbank product is a <c>matmul</c> (lower-precision list), the clamp runs in that low dtype and the log (fp32
/// list) returns float32; the STFT and magnitude get float32 input either way.
/// </summary>
public sealed class MelSpec : nn.Module<Tensor, Tensor>
{
    /// <summary>The floor applied before the log (both extractors).</summary>
    public const double LogFloor = 1e-5;

    static readonly Scalar LogFloorScalar = LogFloor.ToScalar();
    /// <summary>The 1e-9 under the bigvgan magnitude's square root.</summary>
    static readonly Scalar MagnitudeEps = 1e-9.ToScalar();

    readonly Tensor _window;
    /// <summary>vocos: (n_freqs, n_mels) HTK filterbank; bigvgan: (n_mels, n_freqs) slaney filterbank.</summary>
    readonly Tensor _filterBank;

    public MelSpec(
        int n_fft = 1024,
        int hop_length = 256,
        int win_length = 1024,
        int n_mel_channels = 100,
        int target_sample_rate = 24_000,
        string mel_spec_type = "vocos",
        Tensor? filter_bank = null) : base(nameof(MelSpec))
    {
        if (mel_spec_type is not ("vocos" or "bigvgan"))
            throw new ArgumentException($"mel_spec_type '{mel_spec_type}': only 'vocos' and 'bigvgan' exist upstream", nameof(mel_spec_type));
        if (n_fft <= 0 || hop_length <= 0 || win_length <= 0 || win_length > n_fft || n_mel_channels <= 0 || target_sample_rate <= 0)
            throw new ArgumentException($"invalid STFT/mel settings n_fft={n_fft} hop={hop_length} win={win_length} n_mels={n_mel_channels} sr={target_sample_rate}");
        NFft = n_fft;
        HopLength = hop_length;
        WinLength = win_length;
        NMelChannels = n_mel_channels;
        TargetSampleRate = target_sample_rate;
        MelSpecType = mel_spec_type;
        _window = hann_window(win_length, periodic: true, dtype: ScalarType.Float32);
        long nFreqs = n_fft / 2 + 1;
        if (filter_bank is not null)
        {
            long[] want = mel_spec_type == "vocos" ? new[] { nFreqs, (long)n_mel_channels } : new[] { (long)n_mel_channels, nFreqs };
            if (!filter_bank.shape.SequenceEqual(want))
                throw new ArgumentException($"filter_bank has shape [{string.Join(", ", filter_bank.shape)}]; {mel_spec_type} needs [{string.Join(", ", want)}]", nameof(filter_bank));
            _filterBank = filter_bank.detach().to(ScalarType.Float32).clone();
        }
        else
        {
            _filterBank = mel_spec_type == "vocos"
                ? MelFilterBank.Htk((int)nFreqs, 0.0, target_sample_rate / 2, n_mel_channels, target_sample_rate)
                : MelFilterBank.Slaney(target_sample_rate, n_fft, n_mel_channels, 0.0, null);
        }
    }

    public int NFft { get; }
    public int HopLength { get; }
    public int WinLength { get; }
    public int NMelChannels { get; }
    public int TargetSampleRate { get; }
    public string MelSpecType { get; }

    /// <summary>A copy of the filterbank this instance applies (vocos: (n_freqs, n_mels); bigvgan: (n_mels, n_freqs)).</summary>
    public Tensor FilterBank => _filterBank.clone();

    /// <summary>Number of mel frames a waveform of <paramref name="samples"/> samples gives.</summary>
    public long FrameCount(long samples) => MelSpecType == "vocos"
        ? 1 + samples / HopLength
        : 1 + (samples + 2 * ((NFft - HopLength) / 2) - NFft) / HopLength;

    /// <summary>wav (b, nw), (b, 1, nw) or (nw), float32 → mel (b, n_mels, frames), natural log.</summary>
    public Tensor Forward(Tensor wav)
    {
        using var scope = NewDisposeScope();
        var x = wav.dim() switch
        {
            1 => wav.unsqueeze(0),
            2 => wav,
            3 when wav.shape[1] == 1 => wav.squeeze(1), // 'b 1 nw -> b nw'
            _ => throw new ArgumentException($"MelSpec expects (b, nw), (b, 1, nw) or (nw); got [{string.Join(", ", wav.shape)}]"),
        };
        if (x.dtype != ScalarType.Float32) throw new ArgumentException($"MelSpec expects float32 audio; got {x.dtype}");
        var window = _window.to(x.device);
        var fb = _filterBank.to(x.device);
        Tensor mel;
        if (MelSpecType == "vocos")
        {
            // torchaudio Spectrogram(power=1): |stft| (b, n_freqs, frames); MelScale: (spec^T @ fb)^T.
            var spec = stft(x, NFft, hop_length: HopLength, win_length: WinLength, window: window, center: true,
                pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true).abs();
            mel = Autocast.MatMul(spec.transpose(-1, -2), fb).transpose(-1, -2);
            mel = Autocast.Fp32(mel.clamp(min: LogFloorScalar)).log();
        }
        else
        {
            int padding = (NFft - HopLength) / 2;
            var padded = nn.functional.pad(x.unsqueeze(1), new long[] { padding, padding }, PaddingModes.Reflect).squeeze(1);
            var spec = stft(padded, NFft, hop_length: HopLength, win_length: WinLength, window: window, center: false,
                pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true);
            var magnitude = sqrt(view_as_real(spec).pow(IntTwo).sum(-1).add(MagnitudeEps, alpha: IntOne)); // sqrt(re² + im² + 1e-9)
            mel = Autocast.MatMul(fb, magnitude);
            mel = log(Autocast.Fp32(clamp(mel, min: LogFloorScalar)));
        }
        return mel.MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor wav) => Forward(wav);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _window.Dispose();
            _filterBank.Dispose();
        }
        base.Dispose(disposing);
    }
}

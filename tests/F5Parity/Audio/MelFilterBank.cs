using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Audio;

/// <summary>
/// Triangular mel filterbanks, built the way upstream's two mel front ends get them:
/// <list type="bullet">
/// <item><see cref="Htk"/>: <c>torchaudio.functional.melscale_fbanks(..., norm=None, mel_scale="htk")</c>, which
/// <c>torchaudio.transforms.MelSpectrogram</c> (the "vocos" mel of <c>get_vocos_mel_spectrogram</c>) builds. Computed
/// in float32 step by step as torchaudio does, so the matrix equals torchaudio's bit for bit or within an ulp.</item>
/// <item><see cref="Slaney"/>: <c>librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax)</c> with librosa's defaults
/// (slaney mel scale, <c>norm="slaney"</c> area normalisation), which <c>get_bigvgan_mel_spectrogram</c> uses.
/// Computed in float64 like numpy, then stored as float32.</item>
/// </list>
/// </summary>
public static class MelFilterBank
{
    static readonly Scalar HtkMelDivisor = 2595.0.ToScalar();
    static readonly Scalar HtkHzFactor = 700.0.ToScalar();
    static readonly Scalar DoubleOne = 1.0.ToScalar();
    static readonly Scalar DoubleMinusOne = (-1.0).ToScalar();

    /// <summary>
    /// torchaudio's HTK-scale filterbank without normalisation: (n_freqs, n_mels); column m is the triangle of mel band m
    /// over the <paramref name="nFreqs"/> linearly spaced STFT bins from 0 to <c>sample_rate // 2</c>.
    /// </summary>
    public static Tensor Htk(int nFreqs, double fMin, double fMax, int nMels, int sampleRate)
    {
        if (nFreqs < 2 || nMels < 1) throw new ArgumentOutOfRangeException(nameof(nFreqs), "need at least 2 frequency bins and 1 mel band");
        using var scope = NewDisposeScope();
        // STFT bin centre frequencies, float32 linspace as torchaudio.
        var allFreqs = linspace(0, sampleRate / 2, nFreqs, dtype: ScalarType.Float32);
        // Band edges: equally spaced on the HTK mel scale (edges in Python floats, points in float32).
        double mMin = HzToMelHtk(fMin), mMax = HzToMelHtk(fMax);
        var mPts = linspace(mMin, mMax, nMels + 2, dtype: ScalarType.Float32);
        // mel -> Hz: 700 * (10 ** (m / 2595) - 1), each step in float32.
        var fPts = (pow(10.0, mPts / HtkMelDivisor) - DoubleOne) * HtkHzFactor;
        var fb = Triangles(allFreqs, fPts);
        return fb.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// librosa's default filterbank (slaney mel scale, slaney area normalisation): (n_mels, 1 + n_fft // 2), float32.
    /// <paramref name="fMax"/> null means <c>sr / 2</c>, as librosa.
    /// </summary>
    public static Tensor Slaney(int sampleRate, int nFft, int nMels, double fMin = 0, double? fMax = null)
    {
        if (nFft < 2 || nMels < 1) throw new ArgumentOutOfRangeException(nameof(nFft), "need n_fft >= 2 and at least 1 mel band");
        double fmax = fMax ?? sampleRate / 2.0;
        int nFreqs = 1 + nFft / 2;

        // np.fft.rfftfreq(n_fft, d=1/sr): i * (1 / (n * d)).
        double val = 1.0 / (nFft * (1.0 / sampleRate));
        var fftFreqs = new double[nFreqs];
        for (int i = 0; i < nFreqs; i++) fftFreqs[i] = i * val;

        // mel_frequencies: np.linspace over the slaney mel scale (y_i = i * step + start, last = stop), back to Hz.
        int n = nMels + 2;
        double melMin = HzToMelSlaney(fMin), melMax = HzToMelSlaney(fmax);
        double step = (melMax - melMin) / (n - 1);
        var melF = new double[n];
        for (int i = 0; i < n; i++) melF[i] = MelToHzSlaney(i == n - 1 ? melMax : i * step + melMin);

        var weights = new float[nMels * nFreqs];
        for (int m = 0; m < nMels; m++)
        {
            double lowerDiff = melF[m + 1] - melF[m], upperDiff = melF[m + 2] - melF[m + 1];
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (int k = 0; k < nFreqs; k++)
            {
                double lower = -(melF[m] - fftFreqs[k]) / lowerDiff;
                double upper = (melF[m + 2] - fftFreqs[k]) / upperDiff;
                // The triangle is stored as float32 first, then scaled in float64 and stored again (numpy in-place *=).
                float tri = (float)Math.Max(0.0, Math.Min(lower, upper));
                weights[m * nFreqs + k] = (float)(tri * enorm);
            }
        }
        return tensor(weights, new long[] { nMels, nFreqs });
    }

    /// <summary>The HTK mel scale: 2595 log10(1 + f / 700).</summary>
    public static double HzToMelHtk(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);

    /// <summary>librosa's slaney mel scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above.</summary>
    public static double HzToMelSlaney(double hz)
    {
        const double fSp = 200.0 / 3, minLogHz = 1000.0;
        double minLogMel = minLogHz / fSp, logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.Log(hz / minLogHz) / logStep : hz / fSp;
    }

    /// <summary>Inverse of <see cref="HzToMelSlaney"/>.</summary>
    public static double MelToHzSlaney(double mel)
    {
        const double fSp = 200.0 / 3, minLogHz = 1000.0;
        double minLogMel = minLogHz / fSp, logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }

    /// <summary>
    /// Overlapping triangles from band edges: for bin frequency f and band m,
    /// max(0, min((f - f[m]) / (f[m+1] - f[m]), (f[m+2] - f) / (f[m+2] - f[m+1]))), in the input dtype.
    /// allFreqs (n_freqs), fPts (n_mels + 2) -> (n_freqs, n_mels).
    /// </summary>
    static Tensor Triangles(Tensor allFreqs, Tensor fPts)
    {
        long n = fPts.shape[0];
        var fDiff = fPts[1..] - fPts[..(int)(n - 1)];                       // (n_mels + 1)
        var slopes = fPts.unsqueeze(0) - allFreqs.unsqueeze(1);             // (n_freqs, n_mels + 2)
        var down = (slopes[.., ..(int)(n - 2)] * DoubleMinusOne) / fDiff[..(int)(n - 2)];
        var up = slopes[.., 2..] / fDiff[1..];
        return maximum(zeros(1, dtype: allFreqs.dtype), minimum(down, up));
    }
}

namespace F5Parity.Metrics;

/// <summary>
/// Mel cepstra of log-mel frames: the orthonormal DCT-II of each frame's log-mel vector (as scipy's
/// <c>dct(x, type=2, norm="ortho")</c>), c_k = s_k · Σ_m x_m cos(π k (2m + 1) / (2M)) with s_0 = √(1/M),
/// s_k = √(2/M). Coefficient c0 (the frame's overall level) is dropped, as mel-cepstral distortion does, so a
/// loudness offset does not count as a spectral difference.
/// </summary>
public static class MelCepstrum
{
    /// <summary>
    /// Cepstra c1..cK of frame-major log-mel values (<c>frames × nMels</c>), returned frame-major
    /// (<c>frames × K</c>). K defaults to nMels - 1 (every coefficient but c0).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static float[] FromLogMel(float[] frameMajor, int nMels, int? coefficients = null)
    {
        ArgumentNullException.ThrowIfNull(frameMajor);
        if (nMels < 2 || frameMajor.Length % nMels != 0)
            throw new ArgumentException($"{frameMajor.Length} values are not whole frames of {nMels} mel bins", nameof(frameMajor));
        int k = coefficients ?? nMels - 1;
        if (k < 1 || k > nMels - 1)
            throw new ArgumentOutOfRangeException(nameof(coefficients), k, $"between 1 and n_mels - 1 = {nMels - 1}");

        // basis[c * nMels + m] = s_(c+1) cos(π (c+1) (2m+1) / (2 nMels))
        var basis = new float[k * nMels];
        double scale = Math.Sqrt(2.0 / nMels);
        for (int c = 0; c < k; c++)
            for (int m = 0; m < nMels; m++)
                basis[c * nMels + m] = (float)(scale * Math.Cos(Math.PI * (c + 1) * (2 * m + 1) / (2.0 * nMels)));

        int frames = frameMajor.Length / nMels;
        var cep = new float[frames * k];
        for (int t = 0; t < frames; t++)
        {
            var frame = new ReadOnlySpan<float>(frameMajor, t * nMels, nMels);
            for (int c = 0; c < k; c++)
            {
                var row = new ReadOnlySpan<float>(basis, c * nMels, nMels);
                double sum = 0;
                for (int m = 0; m < nMels; m++) sum += row[m] * frame[m];
                cep[t * k + c] = (float)sum;
            }
        }
        return cep;
    }
}

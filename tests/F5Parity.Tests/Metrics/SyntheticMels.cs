using static TorchSharp.torch;

namespace F5Parity.Tests.Metrics;

/// <summary>
/// Speech-like synthetic log-mels (d, n) for metric tests: an utterance is a chain of "phones", each a random
/// smooth spectral envelope held for a random number of frames, with small per-frame noise. Seeded, so each
/// utterance is reproducible; different seeds give different phone sequences.
/// </summary>
static class SyntheticMels
{
    public const int NMels = 100;

    /// <summary>Frame-major values (frames × d) of a seeded utterance.</summary>
    public static float[] Utterance(int seed, int frames, int nMels = NMels)
    {
        var random = new Random(seed);
        var values = new float[frames * nMels];
        var envelope = Envelope(random, nMels);
        int left = 0;
        for (int t = 0; t < frames; t++)
        {
            if (left-- <= 0) { envelope = Envelope(random, nMels); left = random.Next(6, 16); }
            for (int k = 0; k < nMels; k++) values[t * nMels + k] = envelope[k] + (float)(0.05 * (random.NextDouble() - 0.5));
        }
        return values;
    }

    /// <summary>The utterance played <paramref name="factor"/> times slower (frames interpolated linearly).</summary>
    public static float[] Stretch(float[] frameMajor, double factor, int nMels = NMels)
    {
        int frames = frameMajor.Length / nMels, outFrames = (int)Math.Round(frames * factor);
        var output = new float[outFrames * nMels];
        for (int t = 0; t < outFrames; t++)
        {
            double position = Math.Min(frames - 1, t / factor);
            int a = (int)Math.Floor(position), b = Math.Min(frames - 1, a + 1);
            double frac = position - a;
            for (int k = 0; k < nMels; k++)
                output[t * nMels + k] = (float)(frameMajor[a * nMels + k] * (1 - frac) + frameMajor[b * nMels + k] * frac);
        }
        return output;
    }

    /// <summary>Frame-major values → a (d, n) tensor, the metrics' mel convention.</summary>
    public static Tensor ToMel(float[] frameMajor, int nMels = NMels) =>
        tensor(frameMajor, [frameMajor.Length / nMels, nMels]).t().contiguous();

    static float[] Envelope(Random random, int nMels)
    {
        // log-mel between about -11 (silence floor) and 2: a few broad formant-like bumps over a sloping floor.
        var env = new float[nMels];
        int bumps = random.Next(2, 5);
        var centres = Enumerable.Range(0, bumps).Select(_ => random.NextDouble() * nMels).ToArray();
        var widths = Enumerable.Range(0, bumps).Select(_ => 3 + random.NextDouble() * 10).ToArray();
        var heights = Enumerable.Range(0, bumps).Select(_ => 3 + random.NextDouble() * 6).ToArray();
        double level = -9 + random.NextDouble() * 3;
        for (int k = 0; k < nMels; k++)
        {
            double v = level - 2.0 * k / nMels;
            for (int b = 0; b < bumps; b++) v += heights[b] * Math.Exp(-0.5 * Math.Pow((k - centres[b]) / widths[b], 2));
            env[k] = (float)v;
        }
        return env;
    }
}

using F5Parity.Metrics;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Metrics;

/// <summary>
/// DTW mel distance on synthetic utterances (<see cref="SyntheticMels"/>): zero for identical input, small for the
/// same utterance at another speed, large for another utterance, blind to a loudness offset; and the ranking helper
/// finds the right ground truth among candidates.
/// </summary>
public sealed class MelDtwTests
{
    [Fact]
    public void Identical_mels_are_at_distance_zero_on_the_diagonal()
    {
        using var mel = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 1, frames: 120));
        var result = MelDtw.Align(mel, mel);
        result.Distance.Should().Be(0);
        result.Path.Should().Equal(Enumerable.Range(0, 120).Select(i => (i, i)));
    }

    [Fact]
    public void Hand_computed_alignment_of_one_dimensional_features()
    {
        // a = [0, 1, 2], b = [0, 2]; costs |a_i - b_j|: [[0, 2], [1, 1], [2, 0]].
        // D = [[0, 2], [1, 1], [3, 1]]; path (0,0) (1,0) (2,1): total 1 over 3 steps.
        var r = MelDtw.AlignFeatures([0f, 1f, 2f], [0f, 2f], dim: 1);
        r.TotalCost.Should().Be(1);
        r.Path.Should().Equal((0, 0), (1, 0), (2, 1));
        r.Distance.Should().Be(1.0 / 3);
    }

    [Fact]
    public void Time_stretched_copy_is_near_and_another_utterance_is_far()
    {
        var source = SyntheticMels.Utterance(seed: 2, frames: 200);
        using var mel = SyntheticMels.ToMel(source);
        using var slower = SyntheticMels.ToMel(SyntheticMels.Stretch(source, 1.3));
        using var faster = SyntheticMels.ToMel(SyntheticMels.Stretch(source, 0.8));
        using var other = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 3, frames: 200));

        var dSlower = MelDtw.Align(mel, slower);
        var dFaster = MelDtw.Align(mel, faster);
        var dOther = MelDtw.Align(mel, other);

        dSlower.FramesB.Should().Be(260);
        dFaster.FramesB.Should().Be(160);
        // The stretched copies differ only by interpolated transition frames; another utterance differs everywhere.
        dSlower.Distance.Should().BeLessThan(dOther.Distance / 5, $"slower {dSlower.Distance:F3} vs other {dOther.Distance:F3}");
        dFaster.Distance.Should().BeLessThan(dOther.Distance / 5, $"faster {dFaster.Distance:F3} vs other {dOther.Distance:F3}");
        Console.WriteLine($"DTW distance to a 1.3x slower copy {dSlower.Distance:F4}, 0.8x {dFaster.Distance:F4}, another utterance {dOther.Distance:F4}");
        AssertValidPath(dSlower);
        AssertValidPath(dOther);
    }

    [Fact]
    public void A_loudness_offset_does_not_count()
    {
        // Adding a constant to every log-mel bin changes c0 only, which MelCepstrum drops.
        using var mel = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 4, frames: 80));
        using var louder = mel + 1.5f;
        MelDtw.Align(mel, louder).Distance.Should().BeLessThan(1e-4);
        MelMetrics.L1(mel, louder).Should().BeApproximately(1.5, 1e-5);
    }

    /// <summary>Its speed is measured by <c>scripts/bench</c> (<c>F5Parity.Bench dtw</c>), not asserted here.</summary>
    [Fact]
    public void A_300_by_300_alignment_of_two_utterances_is_a_valid_path_between_diagonal_and_border()
    {
        using var a = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 5, frames: 300));
        using var b = SyntheticMels.ToMel(SyntheticMels.Utterance(seed: 6, frames: 300));
        var result = MelDtw.Align(a, b);
        result.Path.Count.Should().BeInRange(300, 599, "a path of 300×300 has between the diagonal's and the border's length");
        AssertValidPath(result);
        MelDtw.Align(b, a).Distance.Should().BeApproximately(result.Distance, 1e-6 * result.Distance, "the distance is symmetric");
    }

    [Fact]
    public void Nearest_reference_ranks_the_spoken_sentence_first()
    {
        var candidates = Enumerable.Range(10, 6)
            .Select(seed => KeyValuePair.Create($"utt{seed}", SyntheticMels.ToMel(SyntheticMels.Utterance(seed, frames: 90 + 7 * (seed % 4)))))
            .ToList();
        // "Generated": utterance 13 spoken 15 % slower with its own frame noise on top.
        var source = SyntheticMels.Utterance(seed: 13, frames: 90 + 7 * (13 % 4));
        var noise = new Random(99);
        var generated = SyntheticMels.Stretch(source, 1.15).Select(v => v + (float)(0.3 * (noise.NextDouble() - 0.5))).ToArray();
        using var mel = SyntheticMels.ToMel(generated);

        var ranking = NearestReference.Rank(mel, candidates);
        Console.WriteLine(string.Join(", ", ranking.Ranking.Select(r => $"{r.Id} {r.Distance:F3}")));
        ranking.Top1.Should().Be("utt13");
        ranking.RankOf("utt13").Should().Be(1);
        ranking.Margin.Should().BeGreaterThan(2, "the right sentence should be far nearer than the runner-up");
        ranking.Ranking.Select(r => r.Distance).Should().BeInAscendingOrder();
        foreach (var c in candidates) c.Value.Dispose();
    }

    [Fact]
    public void Upstreams_two_resampling_paths_of_one_recording_are_near()
    {
        // common/mel.safetensors: the 22.05 kHz espeak recording resampled to 24 kHz by sox (mel_24k) and by
        // torchaudio (mel_22050_resampled_24k) — the same speech — against the same mel played backwards.
        // The source holds nothing above 11.025 kHz, and the two resamplers' band edges differ there; the log floor
        // turns that into large cepstral differences in the top mel bins (measured: distance 4.1 with all 100 bins,
        // 0.10 below 8.8 kHz), so the comparison keeps the bins whose centre lies in both passbands: below
        // 0.8 × 11025 Hz on the HTK mel scale of upstream's MelSpec (24 kHz, n_mels from the tensor).
        var mels = ReferenceSet.Golden.Tensors("common/mel.safetensors");
        var direct = mels["mel_24k"];
        int nMels = (int)direct.shape[^2];
        int kept = Enumerable.Range(0, nMels).Count(k => HtkCentreHz(k, nMels, sampleRate: 24000) < 0.8 * 22050 / 2);
        using var a = direct[.., ..kept, ..];
        using var b = mels["mel_22050_resampled_24k"][.., ..kept, ..];
        using var reversed = a.flip(-1);
        double same = MelDtw.Align(a, b).Distance, backwards = MelDtw.Align(a, reversed).Distance;
        Console.WriteLine($"DTW over {kept}/{nMels} bins: mel_24k vs mel_22050_resampled_24k {same:F4}, vs reversed {backwards:F4}");
        same.Should().BeLessThan(backwards / 20);
    }

    /// <summary>Centre of mel bin k for torchaudio's HTK filter bank from 0 Hz to sampleRate / 2.</summary>
    static double HtkCentreHz(int k, int nMels, int sampleRate)
    {
        double maxMel = 2595 * Math.Log10(1 + sampleRate / 2.0 / 700);
        double mel = maxMel * (k + 1) / (nMels + 1);
        return 700 * (Math.Pow(10, mel / 2595) - 1);
    }

    [Fact]
    public void Mismatched_inputs_are_argument_errors()
    {
        using var a = zeros(80, 10);
        using var b = zeros(100, 10);
        using var flat = zeros(10);
        FluentActions.Invoking(() => MelDtw.Align(a, b)).Should().Throw<ArgumentException>().WithMessage("*80*100*");
        FluentActions.Invoking(() => MelDtw.Align(flat, a)).Should().Throw<ArgumentException>().WithMessage("*(n_mels, frames)*");
        FluentActions.Invoking(() => MelMetrics.L1(a, zeros(80, 11))).Should().Throw<ArgumentException>().WithMessage("*differ in shape*");
    }

    static void AssertValidPath(DtwAlignment r)
    {
        r.Path[0].Should().Be((0, 0));
        r.Path[^1].Should().Be((r.FramesA - 1, r.FramesB - 1));
        for (int i = 1; i < r.Path.Count; i++)
        {
            int di = r.Path[i].A - r.Path[i - 1].A, dj = r.Path[i].B - r.Path[i - 1].B;
            (di, dj).Should().BeOneOf([(1, 0), (0, 1), (1, 1)], $"step {i} of the path");
        }
    }
}

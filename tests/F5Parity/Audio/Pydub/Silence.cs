namespace F5Parity.Audio.Pydub;

/// <summary>
/// pydub's <c>pydub/silence.py</c> (0.24.1, Debian 12's python3-pydub, which made the reference) as <c>preprocess_ref_audio_text</c> uses it. Ranges are
/// <c>[start, end)</c> in milliseconds of the segment.
/// </summary>
public static class Silence
{
    /// <summary>
    /// <c>detect_silence</c>: every window of <paramref name="minSilenceLen"/> ms starting at a multiple of
    /// <paramref name="seekStep"/> (and at the last possible start) whose rms is at or below the threshold marks a silent
    /// start; starts that are contiguous, or whose windows overlap, join one range.
    /// </summary>
    public static List<(int Start, int End)> DetectSilence(AudioSegment audio, int minSilenceLen, double silenceThreshDb, int seekStep)
    {
        int segLen = audio.Length;
        if (segLen < minSilenceLen) return [];
        double threshold = AudioSegment.DbToFloat(silenceThreshDb) * audio.MaxPossibleAmplitude;
        int lastSliceStart = segLen - minSilenceLen;
        var starts = new List<int>();
        for (int i = 0; i <= lastSliceStart; i += seekStep) starts.Add(i);
        if (lastSliceStart % seekStep != 0) starts.Add(lastSliceStart);

        var silentStarts = starts.Where(i => audio.Slice(i, i + minSilenceLen).Rms <= threshold).ToList();
        if (silentStarts.Count == 0) return [];

        var ranges = new List<(int, int)>();
        int prev = silentStarts[0], rangeStart = prev;
        foreach (int s in silentStarts.Skip(1))
        {
            bool continuous = s == prev + seekStep;
            bool hasGap = s > prev + minSilenceLen;
            if (!continuous && hasGap)
            {
                ranges.Add((rangeStart, prev + minSilenceLen));
                rangeStart = s;
            }
            prev = s;
        }
        ranges.Add((rangeStart, prev + minSilenceLen));
        return ranges;
    }

    /// <summary><c>detect_nonsilent</c>: the complement of <see cref="DetectSilence"/>; empty when all of it is silent.</summary>
    public static List<(int Start, int End)> DetectNonsilent(AudioSegment audio, int minSilenceLen, double silenceThreshDb, int seekStep)
    {
        var silent = DetectSilence(audio, minSilenceLen, silenceThreshDb, seekStep);
        int len = audio.Length;
        if (silent.Count == 0) return [(0, len)];
        if (silent[0].Start == 0 && silent[0].End == len) return [];
        var ranges = new List<(int, int)>();
        int prevEnd = 0;
        foreach (var (start, end) in silent)
        {
            ranges.Add((prevEnd, start));
            prevEnd = end;
        }
        if (silent[^1].End != len) ranges.Add((prevEnd, len));
        if (ranges[0] == (0, 0)) ranges.RemoveAt(0);
        return ranges;
    }

    /// <summary>
    /// <c>split_on_silence</c>: the non-silent ranges widened by <paramref name="keepSilence"/> ms on both sides; where two
    /// widened ranges overlap they meet at the midpoint (<c>//</c>, floor).
    /// </summary>
    public static List<AudioSegment> SplitOnSilence(AudioSegment audio, int minSilenceLen, double silenceThreshDb, int keepSilence, int seekStep)
    {
        var ranges = DetectNonsilent(audio, minSilenceLen, silenceThreshDb, seekStep)
            .Select(r => new[] { r.Start - keepSilence, r.End + keepSilence }).ToList();
        for (int i = 0; i + 1 < ranges.Count; i++)
        {
            int lastEnd = ranges[i][1], nextStart = ranges[i + 1][0];
            if (nextStart < lastEnd)
            {
                ranges[i][1] = FloorDiv(lastEnd + nextStart, 2);
                ranges[i + 1][0] = ranges[i][1];
            }
        }
        int len = audio.Length;
        return ranges.Select(r => audio.Slice(Math.Max(r[0], 0), Math.Min(r[1], len))).ToList();
    }

    /// <summary>
    /// <c>detect_leading_silence</c>: milliseconds of <paramref name="chunkSize"/>-ms chunks quieter than the threshold
    /// (dBFS, strictly below) from the start. Not clamped: on a silent segment it can pass the end by up to a chunk.
    /// </summary>
    public static int DetectLeadingSilence(AudioSegment sound, double silenceThresholdDb = -50.0, int chunkSize = 10)
    {
        int trim = 0;
        while (sound.Slice(trim, trim + chunkSize).DbFs < silenceThresholdDb && trim < sound.Length) trim += chunkSize;
        return trim;
    }

    static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}

using F5Parity.Audio.Pydub;
using F5Parity.Errors;
using static TorchSharp.torch;

namespace F5Parity.Pipelines;

/// <summary>
/// Upstream's <c>preprocess_ref_audio_text</c> (infer/utils_infer.py:298-378), which the CLI, the API and the Gradio app
/// run before <c>infer_process</c> (a direct <c>infer_process</c> call skips it). Audio, through pydub
/// (<see cref="AudioSegment"/>, <see cref="Silence"/>):
/// <list type="number">
/// <item>split on silences of ≥ 1000 ms below −50 dBFS keeping 1000 ms around each part, and append parts while the
/// result stays ≤ 12 s (a part is dropped only once more than 6 s are kept);</item>
/// <item>if that is still over 12 s, the same with silences of ≥ 100 ms below −40 dBFS;</item>
/// <item>if still over 12 s, a hard cut at 12,000 ms;</item>
/// <item>silence below −42 dBFS trimmed from both edges (<see cref="RemoveSilenceEdges"/>), then 50 ms of silence
/// appended (made at 11025 Hz and resampled by <c>audioop.ratecv</c> to the clip's rate), exported as WAV.</item>
/// </list>
/// Text: the reference text is made to end in ". " (or "。"). Together with the " " that <c>infer_batch_process</c>
/// adds after a one-byte last character, the CLI flow feeds the model two spaces after the reference text where a direct
/// <c>infer_process</c> call feeds one. (Upstream's ASR fallback for an empty ref_text is not modelled.)
/// </summary>
public static class PreprocessRefAudioText
{
    /// <summary>Longest reference upstream keeps, in ms.</summary>
    public const int MaxReferenceMs = 12_000;

    /// <summary>The ". " rule on ref_text (utils_infer.py:369-374).</summary>
    public static string RefText(string refText)
    {
        if (refText.EndsWith(". ", StringComparison.Ordinal) || refText.EndsWith('。')) return refText;
        return refText.EndsWith('.') ? refText + " " : refText + ". ";
    }

    /// <summary>
    /// The reference WAV after the audio half, as <c>torchaudio.load</c> reads the exported file:
    /// (channels, frames) float32 at the clip's own rate (or 11025 Hz when the clip's rate is lower: pydub syncs up).
    /// </summary>
    public static Result Audio(string path)
    {
        var input = AudioSegment.FromWav(path);
        if (input.Channels > 2)
            throw new AudioFormatException(path,
                $"{input.Channels} channels: upstream's preprocess_ref_audio_text fails on it (pydub cannot append its mono silence to more than 2 channels); downmix the reference to mono");
        var (output, clipStep) = Apply(input);
        var audio = tensor(output.ToTorchaudioFloats(), [output.Channels, output.FrameCount]);
        return new Result(audio, output.FrameRate, clipStep, input.DurationSeconds, output.DurationSeconds);
    }

    /// <summary>The audio steps on a pydub segment: the segment upstream exports, and which step clipped it (0 = none).</summary>
    public static (AudioSegment Output, int ClipStep) Apply(AudioSegment input)
    {
        int clipStep = 0;
        var kept = KeepWhileUnder12s(Silence.SplitOnSilence(input, 1000, -50, 1000, 10), ref clipStep, 1);
        if (kept.Length > MaxReferenceMs)
            kept = KeepWhileUnder12s(Silence.SplitOnSilence(input, 100, -40, 1000, 10), ref clipStep, 2);
        if (kept.Length > MaxReferenceMs)
        {
            kept = kept.Slice(null, MaxReferenceMs);
            clipStep = 3;
        }
        return (RemoveSilenceEdges(kept).Append(AudioSegment.Silent(50)), clipStep);
    }

    /// <summary>Parts appended in order; the first part that would take a result already over 6 s past 12 s stops it.</summary>
    static AudioSegment KeepWhileUnder12s(List<AudioSegment> parts, ref int clipStep, int step)
    {
        var wave = AudioSegment.Silent(0);
        foreach (var part in parts)
        {
            var longer = wave.Append(part); // upstream builds it twice (len(a + b), then a += b); once is enough
            if (wave.Length > 6000 && longer.Length > MaxReferenceMs)
            {
                clipStep = step;
                break;
            }
            wave = longer;
        }
        return wave;
    }

    /// <summary>
    /// <c>remove_silence_edges</c> (utils_infer.py:279-292): leading 10-ms chunks below the threshold dropped, then the
    /// same scan run on the reversed segment drops trailing 10-ms chunks (<c>audio[: len(audio) - trailing]</c>).
    /// The source of this function at 2ae2c9bd was not readable here; this form reproduces upstream's own output
    /// byte for byte (the test reference), where the per-millisecond variant of older releases is 1 ms shorter.
    /// </summary>
    public static AudioSegment RemoveSilenceEdges(AudioSegment audio, double silenceThresholdDb = -42)
    {
        audio = audio.Slice(Silence.DetectLeadingSilence(audio, silenceThresholdDb), null);
        int trailing = Silence.DetectLeadingSilence(audio.Reverse(), silenceThresholdDb);
        return audio.Slice(null, audio.Length - trailing);
    }

    /// <summary>The preprocessed reference and what was done to it.</summary>
    /// <param name="Audio">(channels, frames) float32, as torchaudio.load reads the exported WAV.</param>
    /// <param name="SampleRate">Its rate.</param>
    /// <param name="ClipStep">0 = not clipped; 1/2 = parts dropped at a long/short silence; 3 = hard cut at 12 s.</param>
    public sealed record Result(Tensor Audio, int SampleRate, int ClipStep, double InputSeconds, double OutputSeconds) : IDisposable
    {
        public void Dispose() => Audio.Dispose();
    }
}

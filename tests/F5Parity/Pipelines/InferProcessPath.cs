using System.Text;
using TorchSharp;
using F5Parity.Model;
using F5Parity.Text;
using F5Parity.Torch;
using F5Parity.Vocoder;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Pipelines;

/// <summary>
/// Upstream's inference path (infer/utils_infer.py: <c>infer_process</c> → <c>infer_batch_process</c> →
/// <c>_infer_basic</c>) for a reference clip already loaded, and <see cref="RunCliFlow"/>: the same after the CLI/API's
/// <c>preprocess_ref_audio_text</c> (<see cref="PreprocessRefAudioText"/>). Chunks are generated one after another
/// (upstream uses a thread pool; each chunk's result does not depend on the others except through the global generator
/// when no seed is set).
/// </summary>
public static class InferProcessPath
{
    /// <summary>
    /// What <c>infer_cli</c> / <c>api.F5TTS.infer</c> do with a reference WAV: <c>preprocess_ref_audio_text</c> (silence
    /// clip to 12 s, edge trim, 50 ms pad, ". " after ref_text), the exported clip loaded again, then <see cref="Run"/>.
    /// </summary>
    public static InferProcessResult RunCliFlow(CFM model, Vocab vocab, IVocoder vocoder, string refAudioPath,
        string refText, string genText, InferProcessOptions? options = null)
    {
        using var reference = PreprocessRefAudioText.Audio(refAudioPath);
        return Run(model, vocab, vocoder, reference.Audio, reference.SampleRate, PreprocessRefAudioText.RefText(refText), genText, options);
    }

    public static InferProcessResult Run(CFM model, Vocab vocab, IVocoder vocoder, Tensor refAudio, int sampleRate,
        string refText, string genText, InferProcessOptions? options = null)
    {
        var o = options ?? new InferProcessOptions();
        var batches = GenTextBatches(refText, genText, refAudio.shape[^1] / (double)sampleRate, o);
        var (audio, rms) = ReferenceAudio.Prepare(refAudio, sampleRate, o.TargetRms, o.NormalizeReferenceRms, o.TargetSampleRate);
        using var audioDispose = audio;
        if (o.SpaceAfterRefText) refText = SpaceAfterRefText(refText);

        long samples = audio.shape[^1];
        long refAudioLen = o.Cut == OutputCut.HopFloor ? samples / o.HopLength : 1 + samples / o.HopLength;
        var chunks = new List<InferChunk>();
        foreach (var gen in batches)
            chunks.Add(RunChunk(model, vocab, vocoder, audio, samples / o.HopLength, refAudioLen, rms, refText, gen, o));
        return Combine(chunks, rms, o);
    }

    /// <summary>
    /// The same path with the reference given as a log-mel (1, d, n) instead of audio (e.g. a dataset mel, or a
    /// synthetic language's rendered mel): RMS normalisation, resampling and the 12 s clip act on audio and do not
    /// apply; the reference length is n frames for both the byte-ratio duration and the cut (there is no sample count
    /// whose floor could cut one frame earlier), and the output is not rescaled.
    /// </summary>
    public static InferProcessResult RunFromMel(CFM model, Vocab vocab, IVocoder vocoder, Tensor refMel,
        string refText, string genText, InferProcessOptions? options = null)
    {
        var o = options ?? new InferProcessOptions();
        if (refMel.dim() != 3 || refMel.shape[0] != 1)
            throw new ArgumentException($"reference mel must be (1, d, n), got ({string.Join(", ", refMel.shape)})");
        long frames = refMel.shape[^1];
        var batches = GenTextBatches(refText, genText, frames * o.HopLength / (double)o.TargetSampleRate, o);
        if (o.SpaceAfterRefText) refText = SpaceAfterRefText(refText);
        using var cond = refMel.permute(0, 2, 1).contiguous(); // b n d
        var chunks = new List<InferChunk>();
        foreach (var gen in batches)
            chunks.Add(RunChunk(model, vocab, vocoder, cond, frames, frames, (float)o.TargetRms, refText, gen, o with { RestoreOutputRms = false }));
        return Combine(chunks, (float)o.TargetRms, o);
    }

    /// <summary>gen_text split as infer_process splits it (max_chars from the reference's bytes per second), or whole.</summary>
    static IReadOnlyList<string> GenTextBatches(string refText, string genText, double refSeconds, InferProcessOptions o)
    {
        var batches = o.ChunkText
            ? TextChunker.Chunk(genText, TextChunker.MaxChars(refText, refSeconds, o.Speed))
            : [genText];
        if (batches.Count == 0)
            throw new Errors.TextInputException("gen_text", "nothing to generate: the text is empty after chunking");
        return batches;
    }

    /// <summary>The chunks' waves cross-faded and their mels side by side.</summary>
    static InferProcessResult Combine(List<InferChunk> chunks, float rms, InferProcessOptions o)
    {
        var wave = CrossFade(chunks.Select(c => c.Wave).ToList(), (int)(o.CrossFadeDuration * o.TargetSampleRate));
        var mel = cat(chunks.Select(c => c.GenMel[0]).ToArray(), 1);
        return new InferProcessResult(wave, mel, rms, chunks);
    }

    /// <summary>infer_batch_process appends " " to ref_text when its last character is one UTF-8 byte.</summary>
    public static string SpaceAfterRefText(string refText) =>
        refText.Length > 0 && Utf8Bytes(refText[^1..]) == 1 ? refText + " " : refText;

    /// <summary>The speed infer_process uses for one chunk: 0.3 for gen texts under 10 UTF-8 bytes.</summary>
    public static double LocalSpeed(string genText, double speed, bool slowShortTexts = true) =>
        slowShortTexts && Utf8Bytes(genText) < 10 ? 0.3 : speed;

    /// <summary>
    /// infer_process's byte-ratio duration: <c>ref_len + int(ref_len / len(ref_text bytes) * len(gen_text bytes) / speed)</c>
    /// with ref_len the reference frames (L // hop) and ref_text as sampled (after <see cref="SpaceAfterRefText"/>).
    /// </summary>
    public static long ByteRatioDuration(long refLen, string refText, string genText, double speed) =>
        refLen + (long)(refLen / (double)Utf8Bytes(refText) * Utf8Bytes(genText) / speed);

    static InferChunk RunChunk(CFM model, Vocab vocab, IVocoder vocoder, Tensor cond, long refLen, long refAudioLen, float rms, string refText,
        string genText, InferProcessOptions o)
    {
        using var scope = NewDisposeScope();
        var textList = new List<string> { refText + genText };
        List<List<string>> tokens = o.ConvertCharToPinyin
            ? CharToPinyin.Convert(textList, version: o.CharToPinyinVersion)
            : [.. textList.Select(t => PythonStr.CodePoints(t))];
        var textIds = TextTokenizer.ListStrToIdx(tokens.Select(t => (IReadOnlyList<string>)t).ToList(), vocab);

        long duration = o.DurationFrames
            ?? (o.FixDuration is double fix
                ? (long)(fix * o.TargetSampleRate / o.HopLength)
                : ByteRatioDuration(refLen, refText, genText, LocalSpeed(genText, o.Speed, o.SlowShortTexts)));

        if (o.ManualSeed is long seed) random.manual_seed(seed);
        using var autocast = Autocast.Enable(o.Autocast);
        var sample = model.Sample(cond, textIds, tensor(duration), new SampleOptions
        {
            Steps = o.NfeStep, CfgStrength = o.CfgStrength, SwaySamplingCoef = o.SwaySamplingCoef,
            UseEpss = o.UseEpss, Seed = o.SeedArgument, TrainMode = o.TrainMode, Autocast = o.Autocast,
        });

        var generated = sample.Output.to(ScalarType.Float32);
        var genMel = generated[.., (int)refAudioLen.., ..].permute(0, 2, 1); // b d n
        var wave = vocoder.Decode(genMel);
        if (o.RestoreOutputRms) wave = ReferenceAudio.RestoreRms(wave, rms, o.TargetRms);

        return new InferChunk(genText, tokens[0], textIds.MoveToOuterDisposeScope(), duration, refAudioLen,
            sample.MoveToOuterDisposeScope(), genMel.contiguous().MoveToOuterDisposeScope(), wave.squeeze().MoveToOuterDisposeScope());
    }

    /// <summary>Upstream's linear cross-fade of consecutive chunk waves (numpy linspace fades over float64).</summary>
    public static Tensor CrossFade(IReadOnlyList<Tensor> waves, int crossFadeSamples)
    {
        var result = waves[0].to(ScalarType.Float64);
        for (int i = 1; i < waves.Count; i++)
        {
            var next = waves[i].to(ScalarType.Float64);
            long n = Math.Min(crossFadeSamples, Math.Min(result.shape[0], next.shape[0]));
            if (crossFadeSamples <= 0 || n <= 0) { result = cat([result, next]); continue; }
            var fadeOut = linspace(1, 0, n, dtype: ScalarType.Float64);
            var fadeIn = linspace(0, 1, n, dtype: ScalarType.Float64);
            var overlap = (result[^(int)n..] * fadeOut).add(next[..(int)n] * fadeIn, alpha: IntOne);
            result = cat([result[..^(int)n], overlap, next[(int)n..]]);
        }
        return result.to(ScalarType.Float32);
    }

    static int Utf8Bytes(string s) => Encoding.UTF8.GetByteCount(s);
}

/// <summary>One chunk of an infer_process run, with what was fed to CFM.sample.</summary>
public sealed record InferChunk(string GenText, IReadOnlyList<string> TextTokens, Tensor TextIds, long Duration,
    long RefAudioLen, SampleResult Sample, Tensor GenMel, Tensor Wave);

/// <summary>The output of an infer_process run: the cross-faded wave, the generated mels side by side, and each chunk.</summary>
public sealed record InferProcessResult(Tensor Wave, Tensor Mel, float ReferenceRms, IReadOnlyList<InferChunk> Chunks);

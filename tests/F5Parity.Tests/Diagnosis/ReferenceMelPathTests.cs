using F5Parity.Audio;
using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// <see cref="InferProcessPath.RunFromMel"/> (the "reference given as a mel" knob the codebook diagnosis uses) is the
/// same infer_process path: fed the mel CFM.sample would compute from a clip, it gives the audio path's output bit for
/// bit when the audio knobs that have no mel equivalent are off (no RMS change, the cut at the mel length, a fixed
/// duration), and its byte-ratio duration counts the mel's frames.
/// </summary>
public sealed class ReferenceMelPathTests
{
    static readonly Tolerance Identical = Tolerance.Exact("the same mel enters the same float32 operations");

    [SkippableFact]
    public void Mel_reference_gives_the_audio_paths_output_when_the_audio_knobs_are_off()
    {
        var set = ReferenceSet.Golden;
        var c = set.Cases.First();
        var audioPath = Path.Combine(RepoPaths.Golden, "upstream", "audio", "ref_pt_24k.wav");
        Skip.IfNot(File.Exists(audioPath), $"{audioPath} not found");
        var model = CaseModels.Get(c, useEma: true);
        var (audio, rate) = WavFile.Read(audioPath);
        using var scope = NewDisposeScope();
        var (prepared, _) = ReferenceAudio.Prepare(audio, rate, 0.1, false, 24_000);
        var mel = model.MelSpec.Forward(prepared);                                             // 1 d n
        const string refText = "Olá, como você está?";
        const string genText = "O pão.";
        var options = new InferProcessOptions
        {
            NormalizeReferenceRms = false, RestoreOutputRms = false, Cut = OutputCut.MelFrames, DurationFrames = mel.shape[^1] + 40,
            NfeStep = 4, ManualSeed = 3, ChunkText = false,
        };
        var fromAudio = InferProcessPath.Run(model, CaseModels.VocabOf(ReferenceSet.Golden), CaseModels.VocoderOf(ReferenceSet.Golden), audio, rate, refText, genText, options);
        var fromMel = InferProcessPath.RunFromMel(model, CaseModels.VocabOf(ReferenceSet.Golden), CaseModels.VocoderOf(ReferenceSet.Golden), mel, refText, genText, options);
        Assert.Equal(fromAudio.Chunks[0].RefAudioLen, fromMel.Chunks[0].RefAudioLen);
        TensorAssert.Close(fromMel.Mel, fromAudio.Mel, Identical, "infer_from_mel", "generated mel");
        TensorAssert.Close(fromMel.Wave, fromAudio.Wave, Identical, "infer_from_mel", "wave");

        // byte-ratio duration from the mel's frame count: n + int(n / ref_bytes * gen_bytes / speed)
        var byteRatio = InferProcessPath.RunFromMel(model, CaseModels.VocabOf(ReferenceSet.Golden), CaseModels.VocoderOf(ReferenceSet.Golden), mel, refText, genText,
            options with { DurationFrames = null });
        long n = mel.shape[^1];
        int refBytes = System.Text.Encoding.UTF8.GetByteCount(refText + " "), genBytes = System.Text.Encoding.UTF8.GetByteCount(genText);
        Assert.Equal(n + (long)(n / (double)refBytes * genBytes / 0.3), byteRatio.Chunks[0].Duration);
        Assert.Equal(n, byteRatio.Chunks[0].RefAudioLen);
    }
}

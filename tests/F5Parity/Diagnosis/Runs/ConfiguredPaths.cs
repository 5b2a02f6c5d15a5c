using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Quality;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// The trainer-vs-infer rule, in one place beside the <see cref="PathDifference"/>s it sets apart: which value each
/// knob takes on the trainer's log-sample path and on <c>infer_process</c>'s, from a <see cref="DiagnosisConfig"/>.
/// </summary>
public static class ConfiguredPaths
{
    /// <summary>
    /// The two runs a configuration describes. The trainer's: raw weights, training vocab/config, the text as the
    /// dataset stored it, the dataset mel of the raw clip, twice its length, fp32, re-speaking the reference. The
    /// inference run: EMA weights, inference vocab/config/checkpoint, convert_char_to_pinyin, RMS 0.1, preprocess_ref_audio_text (cli flow),
    /// the byte-ratio length and the L//256 cut, the inference dtype, the generation text.
    /// </summary>
    public static DiagnosisPaths From(DiagnosisConfig c, Func<string, int> vocabSize)
    {
        var trainVocabSize = vocabSize(c.Vocab);
        var inferVocab = c.InferenceVocab ?? c.Vocab;
        var trainConfig = ModelConfigRef.Resolve(c.ModelConfig, trainVocabSize);
        var inferConfig = c.InferenceModelConfig is null ? trainConfig : ModelConfigRef.Resolve(c.InferenceModelConfig, vocabSize(inferVocab));
        bool melRef = c.Codebook is not null;
        var trainer = new RunSpec
        {
            RefMelId = melRef ? CodebookReference.MelIdFor(c.Codebook!, c.RefText) : null,
            Code = SamplingCode.Trainer, Checkpoint = c.Checkpoint, ModelConfig = trainConfig, MelSpecType = c.MelSpecType, VocabPath = c.Vocab,
            UseEma = TrainerCheckpoint.IsEmaOnly(c.Checkpoint),
            Text = c.DatasetText,
            RefAudioPath = c.RefAudio, RefText = c.RefText, GenText = null, NormalizeRms = false, PreprocessRefAudio = false, PreprocessRefText = false,
            Duration = DurationRule.TwiceReference, Cut = Pipelines.OutputCut.MelFrames,
            NfeStep = c.Nfe, CfgStrength = c.Cfg, SwaySamplingCoef = c.Sway, Seed = c.Seed,
            Precision = PrecisionExtensions.Parse(c.TrainingDtype, "trainingDtype"),
        };
        var infer = trainer with
        {
            Code = SamplingCode.Infer, Checkpoint = c.InferenceCheckpoint ?? c.Checkpoint, UseEma = true, ModelConfig = inferConfig,
            MelSpecType = c.InferenceMelSpecType ?? c.MelSpecType,
            VocabPath = inferVocab, Text = TextProcessing.CharToPinyin, GenText = c.GenText,
            // a mel reference has no loudness, sample rate or length in seconds: the audio knobs do not exist on that path
            NormalizeRms = !melRef, PreprocessRefAudio = !melRef && c.InferenceFlow == "cli", PreprocessRefText = c.InferenceFlow == "cli",
            Duration = DurationRule.ByteRatio, Cut = Pipelines.OutputCut.HopFloor,
            NfeStep = c.InferenceNfe ?? c.Nfe, CfgStrength = c.InferenceCfg ?? c.Cfg, SwaySamplingCoef = c.InferenceSway ?? c.Sway,
            Precision = c.Dtype.Equals("auto", StringComparison.OrdinalIgnoreCase)
                ? (c.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? Precision.Float16 : Precision.Float32)
                : PrecisionExtensions.Parse(c.Dtype, "dtype"),
        };
        return new DiagnosisPaths(trainer, infer, c.OtherCheckpoint);
    }
}

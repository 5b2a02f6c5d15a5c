using F5Parity.Audio;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.RunFiles;
using static TorchSharp.torch;

namespace F5Parity.Search;

/// <summary>
/// Writes what upstream's trainer logs at a save (model/trainer.py <c>log_samples</c>) for a run-folder fixture:
/// <c>samples/update_N_gen.wav</c>, the trainer path under the run's stated setup vocoded with the configured
/// vocoder, and <c>update_N_ref.wav</c>, the reference mel vocoded (float32 WAVs, as torchaudio.save writes a float
/// tensor). Seeded, single-threaded: byte-identical on regeneration (<c>F5Parity.FixtureMaker --trainer-samples</c>).
/// </summary>
public static class TrainerSampleWriter
{
    const int SampleRate = 24_000;

    /// <summary>The run's stated setup (its files plus <paramref name="configFile"/>) as a diagnoser's configuration.</summary>
    public static DiagnosisConfig StatedConfig(RunFolder run, string? inferToml, string configFile, string workingDirectory)
    {
        var setup = RunSetup.Read(run, inferToml is null ? null : InferToml.Read(inferToml));
        var values = setup.AsSettings().ToDictionary(kv => kv.Key, kv => kv.Value);
        if (!values.ContainsKey("vocab") && values.GetValueOrDefault("inferenceVocab") is string iv) values["vocab"] = iv;
        return DiagnosisConfig.Load(configFile, new Dictionary<string, string?>(), workingDirectory, values, $"run {run.Folder}") with { Seeds = 1 };
    }

    /// <summary>Writes update_<paramref name="update"/>_gen.wav and _ref.wav into <paramref name="folder"/>; returns the gen path.</summary>
    public static string Write(Diagnoser d, string folder, long update)
    {
        var r = d.Runner.Run(d.Paths.Trainer);
        if (r.Output is null) throw new InvalidOperationException($"the trainer path did not run: {r.Error}");
        Directory.CreateDirectory(folder);
        string gen = Path.Combine(folder, $"update_{update}_gen.wav");
        WavFile.Write(gen, r.Output.Wave, SampleRate, WavFile.Encoding.Float32);
        using var scope = NewDisposeScope();
        var refMel = d.Codebook is not null
            ? d.Codebook.RenderReference(d.Config.RefText, d.Paths.Trainer.Text, d.Config.Seed)
            : throw new InvalidOperationException("trainer samples are written for codebook fixtures only (a real run has its own)");
        WavFile.Write(Path.Combine(folder, $"update_{update}_ref.wav"), d.Runner.Vocoder.Decode(refMel.unsqueeze(0)), SampleRate, WavFile.Encoding.Float32);
        return gen;
    }
}

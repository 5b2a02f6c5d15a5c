using System.Diagnostics;
using F5Parity.Audio;
using F5Parity.Checkpoints;
using F5Parity.CheckpointTier;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Runs;
using F5Parity.Model;
using F5Parity.Progress;
using static TorchSharp.torch;

namespace F5Parity.Bench;

/// <summary>
/// The README's Base-size quick-profile figure: an F5TTS_Base checkpoint with random weights (text_num_embeds = the
/// fixture vocab's 113), a 10 s reference cut from fixtures/speech/l01_historia.wav, the <c>quick</c> profile
/// (<see cref="Profile"/>). Counts the distinct runs a quick diagnosis samples (the two paths, each runnable theory's
/// control and treatment, the ladder's bisection bound), then times sampling runs through the diagnosis's own
/// <see cref="Runner"/>, one line per NFE step with the load average, so a run cut short still gives its step time.
/// </summary>
public static class QuickProfileRun
{
    public static IEnumerable<string> Run(string dir, string which)
    {
        Directory.CreateDirectory(dir);
        string checkpoint = Path.Combine(dir, "model_base_random.safetensors"), reference = Path.Combine(dir, "ref_10s.wav");
        string root = Benchmarks.RepoRoot(), vocab = Path.Combine(root, "fixtures", "models", "vocab.txt");
        var total = Stopwatch.StartNew();
        if (!File.Exists(checkpoint))
        {
            manual_seed(0);
            using var model = new CFM(new DiT(DiTConfig.F5TTS_Base(textNumEmbeds: 113)));
            var sd = model.state_dict().ToDictionary(kv => TrainerCheckpoint.EmaPrefix + kv.Key, kv => kv.Value);
            sd["initted"] = tensor(true);
            sd["step"] = tensor(1000L);
            SafetensorsFile.Save(checkpoint, sd);
        }
        var (audio, rate) = WavFile.Read(Path.Combine(root, "fixtures", "speech", "l01_historia.wav"));
        using (var cut = audio[.., ..(10 * rate)]) WavFile.Write(reference, cut, rate, overwrite: true);
        yield return $"checkpoint and 10 s reference ready in {total.Elapsed.TotalSeconds:0} s; load {Load()}";

        var config = Profile.Apply("quick", new DiagnosisConfig
        {
            Checkpoint = checkpoint, Vocab = vocab, ModelConfig = "F5TTS_Base", RefAudio = reference,
            RefText = "Era uma vez uma menina que morava numa pequena cidade do interior.",
            GenText = "Todas as manhãs ela caminhava até a padaria da esquina.", InferenceFlow = "direct",
            Seeds = 3, Out = Path.Combine(dir, "bundle"),
        });
        using var diagnoser = new Diagnoser(config);
        var p = diagnoser.Paths;
        var specs = new HashSet<RunSpec> { p.Trainer, p.Infer };
        foreach (var h in HypothesisCatalogue.All.Where(h => h.NotRunReason?.Invoke(p) is null)) { specs.Add(h.Control(p)); specs.Add(h.Treatment(p)); }
        var rungs = Ladder.Specs(p);
        int changed = rungs.Skip(1).Where((s, i) => s != rungs[i]).Count();
        int walkExtra = rungs.Distinct().Count(s => !specs.Contains(s));
        int bisectBound = changed <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(changed)); // probes between the two ends
        yield return $"quick profile: nfe {config.Nfe}, seeds {config.Seeds}; distinct runs: {specs.Count} (paths + theories), ladder: {changed} changed rungs, " +
            $"walk would add {walkExtra}, bisection at most {bisectBound}: ≤ {specs.Count + Math.Min(walkExtra, bisectBound)} runs for a quick diagnosis";

        foreach (var (name, spec) in new[] { ("trainer", p.Trainer), ("infer", p.Infer) }.Where(r => which == "both" || which == r.Item1))
        {
            var watch = Stopwatch.StartNew();
            var lines = new List<string>();
            double last = 0;
            using (SamplingProgress.Listen((step, steps) =>
            {
                double now = watch.Elapsed.TotalSeconds;
                Console.WriteLine($"  {name} step {step}/{steps} at {now:0} s (+{now - last:0} s), load {Load()}");
                last = now;
            }))
            {
                var r = diagnoser.Runner.Run(spec);
                yield return $"{name} run: {watch.Elapsed.TotalSeconds:0} s for {spec.NfeStep} NFE, {r.Output?.GenMel.shape[^1]} frames (reference {r.Output?.RefFrames}), error {r.Error ?? "none"}; load {Load()}";
            }
        }
        yield return $"total {total.Elapsed.TotalMinutes:0.0} min";
    }

    static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

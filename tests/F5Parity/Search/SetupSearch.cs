using System.Diagnostics;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;

namespace F5Parity.Search;

/// <summary>
/// When the trainer path, rerun under the stated training setup, does not speak (or a fact is missing), looks for the
/// setup the checkpoint answers to: candidates that change one fact of the stated setup first (likely causes first:
/// vocab, DiT options, text processing, raw/EMA), then two facts, each a real trainer-path re-speak; a candidate
/// that speaks is confirmed on a second noise seed before it counts. At most <see cref="MaxTrials"/> candidates.
/// The other mel front end (vocos/bigvgan) is the last single change, and is not tried when the reference is given as
/// a mel (no front end acts on it).
/// </summary>
public sealed class SetupSearch(Runner runner, string metricId, int maxTrials = 24)
{
    /// <summary>Seed offset of the confirming re-speak (outside <see cref="Runner.SeedStride"/>'s draws).</summary>
    public const long ConfirmSeedOffset = 7;

    public int MaxTrials { get; } = maxTrials;

    /// <param name="trainer">The trainer path as stated.</param>
    /// <param name="vocabs">Vocab files in reach (dataset, inference, beside the checkpoint, listed by the user).</param>
    /// <param name="modelConfigs">DiT option sets to try (the stated one's other version, any yaml found).</param>
    /// <param name="factsMissing">A fact of the stated setup was assumed, not read: every candidate is tried (up to
    /// the bound) and the best confirmed one wins, even over a stated setup that passes the threshold.</param>
    public SetupSearchResult Run(RunSpec trainer, IEnumerable<string> vocabs, IEnumerable<string> modelConfigs, bool factsMissing = false)
    {
        var watch = Stopwatch.StartNew();
        int sampledBefore = runner.SampledRuns;
        var stated = SetupCandidate.Of(trainer);
        var trials = new List<SetupTrial>();
        var statedRun = Measure(stated, trainer);
        trials.Add(statedRun);
        if (statedRun.Confirmed && !factsMissing) return Done(stated, statedRun, trials);

        foreach (var candidate in Candidates(stated, vocabs, modelConfigs, melTypes: trainer.RefMelId is null).Take(MaxTrials))
        {
            var t = Measure(candidate, trainer);
            trials.Add(t);
            if (t.Confirmed && !factsMissing) return Done(stated, t, trials);
        }
        // facts missing: the confirmed setup with the best mean of its two scores (the stated one on a tie)
        var best = trials.Where(t => t.Confirmed).OrderByDescending(t => (t.Score!.Value + t.ConfirmScore!.Value) / 2).FirstOrDefault();
        return Done(stated, best, trials);

        SetupSearchResult Done(SetupCandidate s, SetupTrial? found, List<SetupTrial> all) =>
            new(s, found, all, runner.SampledRuns - sampledBefore, watch.Elapsed.TotalSeconds, MaxTrials);
    }

    SetupTrial Measure(SetupCandidate c, RunSpec trainer)
    {
        var spec = c.Apply(trainer, p => runner.Inputs.Vocab(p).Size);
        var first = Score(spec);
        if (first is not { Good: true }) return new SetupTrial(c, first?.Score, null, false, first is null ? "could not be run or scored" : null);
        var second = Score(spec with { Seed = spec.Seed + ConfirmSeedOffset });
        return new SetupTrial(c, first.Score, second?.Score, second is { Good: true }, null);
    }

    QualityMeasurement? Score(RunSpec spec)
    {
        var r = runner.Run(spec);
        return r.Error is null ? r.Metric(metricId) : null;
    }

    /// <summary>
    /// One change from the stated setup, then two, in the order likely causes come: vocab (another dataset's file is
    /// the commonest report), DiT options, text processing, raw/EMA, then (<paramref name="melTypes"/>) the mel front end.
    /// </summary>
    public static IEnumerable<SetupCandidate> Candidates(SetupCandidate stated, IEnumerable<string> vocabs, IEnumerable<string> modelConfigs,
        bool melTypes = false)
    {
        var vocabList = vocabs.Select(Path.GetFullPath).Distinct().Where(v => v != Path.GetFullPath(stated.Vocab)).ToList();
        var configList = modelConfigs.Append(RunFiles.ModelPreset.Other(stated.ModelConfig)).Distinct().Where(m => m != stated.ModelConfig).ToList();
        var texts = new[] { TextProcessing.CharToPinyin, TextProcessing.Raw, TextProcessing.CharToPinyinLegacy }.Where(t => t != stated.Text).ToList();
        var singles = new List<Func<SetupCandidate, SetupCandidate>>();
        singles.AddRange(vocabList.Select(v => (Func<SetupCandidate, SetupCandidate>)(c => c with { Vocab = v })));
        singles.AddRange(configList.Select(m => (Func<SetupCandidate, SetupCandidate>)(c => c with { ModelConfig = m })));
        singles.AddRange(texts.Select(t => (Func<SetupCandidate, SetupCandidate>)(c => c with { Text = t })));
        singles.Add(c => c with { UseEma = !c.UseEma });
        if (melTypes) singles.Add(c => c with { MelSpecType = c.MelSpecType == "vocos" ? "bigvgan" : "vocos" });
        var seen = new HashSet<SetupCandidate> { stated };
        foreach (var f in singles) if (seen.Add(f(stated))) yield return f(stated);
        for (int i = 0; i < singles.Count; i++)
            for (int j = i + 1; j < singles.Count; j++)
            {
                var c = singles[j](singles[i](stated));
                if (seen.Add(c)) yield return c;
            }
    }
}

/// <summary>One candidate's re-speak: its score, the confirming seed's score when the first was good.</summary>
public sealed record SetupTrial(SetupCandidate Setup, double? Score, double? ConfirmScore, bool Confirmed, string? Error);

/// <summary>What the search found (or that nothing spoke), every trial, and its cost.</summary>
public sealed record SetupSearchResult(SetupCandidate Stated, SetupTrial? Found, IReadOnlyList<SetupTrial> Trials,
    int SampledRuns, double Seconds, int MaxTrials)
{
    public bool StatedSpeaks => Found is not null && Found.Setup == Stated;

    /// <summary>The report's paragraph: what the checkpoint speaks under, how the stated setup and the inference differ.</summary>
    public IReadOnlyList<string> Describe(RunSpec infer)
    {
        var lines = new List<string>();
        string Cost() => $"search cost: {Trials.Count} setups tried, {SampledRuns} trainer-path re-speaks, {Seconds:0.0} s (at most {MaxTrials} candidates after the stated one)";
        if (Found is null)
        {
            lines.Add("No setup tried speaks: the checkpoint answers to none of them (look at training itself). Tried:");
            lines.AddRange(Trials.Select(t => $"- {t.Setup.Describe()}: {t.Score?.ToString("0.###") ?? t.Error ?? "n/a"}"));
            lines.Add(Cost());
            return lines;
        }
        lines.Add($"This checkpoint speaks under: {Found.Setup.Describe()} (score {Found.Score:0.###}, confirmed {Found.ConfirmScore:0.###} on a second seed).");
        var stated = Stated.DifferencesFrom(Found.Setup);
        lines.Add(stated.Count == 0 ? "The stated training setup is that setup." : $"The stated setup differs in: {string.Join("; ", stated)}.");
        var inf = Found.Setup.DifferencesFrom(SetupCandidate.Of(infer) with { UseEma = infer.UseEma });
        lines.Add(inf.Count == 0 ? "Your inference uses the same facts." : $"Your inference differs from it in: {string.Join("; ", inf)}.");
        lines.Add(Cost());
        return lines;
    }
}

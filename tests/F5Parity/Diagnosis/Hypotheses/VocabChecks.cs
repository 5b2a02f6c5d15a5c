using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// The vocab and text checks: each side's vocab against the model's <c>text_embed</c> rows, its file quirks, the
/// characters of the texts it lacks (they become id 0 = " "), training vs inference vocab order, and the tokens the
/// dataset's text processing stores vs those inference feeds.
/// </summary>
public static class VocabChecks
{
    public static void Add(InputFiles inputs, RunSpec t, RunSpec i, List<StaticFinding> findings)
    {
        Vocab? tv = null, iv = null;
        foreach (var (side, spec) in new[] { ("training", t), ("inference", i) })
        {
            Vocab v;
            try { v = inputs.Vocab(spec.VocabPath); }
            catch (Errors.F5ParityInputException e)
            {
                findings.Add(new($"vocab-{side}", Severity.Error, e.Message, "vocab"));
                continue;
            }
            if (side == "training") tv = v; else iv = v;
            findings.Add(new($"vocab-size-{side}", v.Size == spec.ModelConfig.Config.TextNumEmbeds ? Severity.Ok : Severity.Error,
                $"{side} vocab {Path.GetFileName(v.Path)}: {v.Size} entries → text_embed rows {v.Size + 1}; config text_num_embeds {spec.ModelConfig.Config.TextNumEmbeds}",
                "vocab", new Dictionary<string, double> { ["entries"] = v.Size, ["lines"] = v.LineCount }));
            foreach (var q in v.Quirks)
                findings.Add(new($"vocab-quirk-{side}", q.Kind is VocabQuirkKind.CrLfLineEnds ? Severity.Info : Severity.Warning,
                    $"{side} vocab {Path.GetFileName(v.Path)}: {q}", "vocab"));
            var text = spec.RefText + " " + (spec.GenText ?? "");
            var tokens = Runner.Tokenize(text, spec.Text);
            var unknown = v.UnknownTokens(tokens).Distinct().ToList();
            findings.Add(new($"unknown-chars-{side}", unknown.Count > 0 ? Severity.Warning : Severity.Ok,
                unknown.Count > 0
                    ? $"{side} texts ({spec.Text.Describe()}): {string.Join(" ", unknown.Select(u => PythonStr.Describe(u)))} not in {Path.GetFileName(v.Path)} → id 0 (\" \")"
                    : $"{side} texts: every token is in {Path.GetFileName(v.Path)}",
                "vocab", new Dictionary<string, double> { ["unknown"] = unknown.Count }));
        }
        if (tv is not null && iv is not null && tv.Path != iv.Path)
        {
            int common = tv.Ids.Keys.Count(iv.Ids.ContainsKey);
            int moved = tv.Ids.Count(kv => iv.Ids.TryGetValue(kv.Key, out var id) && id != kv.Value);
            var sev = moved > 0 || tv.Size != iv.Size ? Severity.Error : Severity.Ok;
            findings.Add(new("vocab-training-vs-inference", sev,
                $"training vocab {tv.Size} entries, inference vocab {iv.Size}; {common} tokens in both, {moved} of them with a different id" +
                (tv.Size == iv.Size && moved > 0 ? " — same size, different order: loads silently and scrambles the text" : ""),
                "vocab", new Dictionary<string, double> { ["moved"] = moved, ["common"] = common }));
        }
    }

    /// <summary>
    /// The texts as the dataset's processing would store them vs as inference's <c>convert_char_to_pinyin</c> feeds
    /// them: any token that differs is a token sequence the model never saw in training.
    /// </summary>
    public static void AddTextProcessing(RunSpec t, RunSpec i, List<StaticFinding> findings)
    {
        if (t.Text == i.Text) return;
        var differing = new List<string>();
        foreach (var text in new[] { i.RefText, i.GenText }.OfType<string>())
        {
            var stored = Runner.Tokenize(text, t.Text);
            var fed = Runner.Tokenize(text, i.Text);
            if (!stored.SequenceEqual(fed)) differing.Add($"'{string.Concat(stored)}' → '{string.Concat(fed)}' ({stored.Count} → {fed.Count} tokens)");
        }
        findings.Add(new("text-processing", differing.Count > 0 ? Severity.Warning : Severity.Ok,
            differing.Count > 0
                ? $"the dataset's text processing ({t.Text.Describe()}) and inference's ({i.Text.Describe()}) give other tokens: {string.Join("; ", differing)}"
                : $"the dataset's text processing ({t.Text.Describe()}) and inference's ({i.Text.Describe()}) give the same tokens on the configured texts",
            "pinyin", new Dictionary<string, double> { ["texts_differing"] = differing.Count }));
    }
}

using F5Parity.Model;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Fixtures;

/// <summary>How one model is asked to speak the held-out sentences of <see cref="CodebookCorpus"/>.</summary>
public sealed record CodebookEvaluationSettings
{
    /// <summary>NFE (Euler steps).</summary>
    public int Steps { get; init; } = 16;
    public double CfgStrength { get; init; } = 2.0;
    public double SwaySamplingCoef { get; init; } = -1.0;
    /// <summary>One sampling run per seed; accuracy is pooled over all of them.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3];
    /// <summary>Apply <c>convert_char_to_pinyin</c> to the inference text (upstream's infer_process always does).</summary>
    public bool InferencePinyin { get; init; } = true;
    /// <summary>How the model's training data spelled text (what it should say): converted (upstream) or raw.</summary>
    public bool TrainedWithPinyin { get; init; } = true;
    /// <summary>The vocab used to turn inference text into ids; null = the language's own (training) vocab.</summary>
    public Vocab? InferenceVocab { get; init; }
    /// <summary>Expected tokens whose positions are also scored apart (e.g. "a", "o", or the fine-tune's changed tokens).</summary>
    public IReadOnlySet<string>? Focus { get; init; }
    /// <summary>The reference text (its mel is the audio prompt); null = <see cref="CodebookCorpus.Reference"/>.</summary>
    public string? ReferenceText { get; init; }
    /// <summary>The texts generated after it, one batch item each; null = <see cref="CodebookCorpus.HeldOut"/>.</summary>
    public IReadOnlyList<string>? Texts { get; init; }
}

/// <summary>Pooled result: token accuracy overall, at the focus positions, per seed.</summary>
public sealed record CodebookEvaluationResult(double Accuracy, double FocusAccuracy, int Frames, int FocusFrames,
    IReadOnlyList<double> PerSeed)
{
    public override string ToString() =>
        $"accuracy {Accuracy:P1} ({Frames} frames), focus {FocusAccuracy:P1} ({FocusFrames}), per seed [{string.Join(", ", PerSeed.Select(a => a.ToString("P1")))}]";
}

/// <summary>
/// The text-sensitivity measurement: a training sentence is the reference (its rendered mel the audio prompt, its text
/// the reference text), each held-out sentence is generated after it the way <c>infer_process</c> composes text
/// (ref + " " + gen, then <c>convert_char_to_pinyin</c> unless disabled), for as many frames as the sentence has
/// tokens; every generated frame is decoded to the nearest signature and compared with what should have been said.
/// </summary>
public static class CodebookEvaluation
{
    /// <summary>The generated mels (d, n_gen) of every held-out sentence for one seed, reference frames cut off.</summary>
    public static List<Tensor> Generate(CFM model, CodebookLanguage language, CodebookEvaluationSettings settings, long seed)
    {
        var s = settings;
        var vocab = s.InferenceVocab ?? language.Vocab;
        string reference = s.ReferenceText ?? CodebookCorpus.Reference;
        // the reference audio speaks the reference text and the joining space (infer_process: ref_text + " " + gen_text)
        var refTokens = CodebookCorpus.Tokens(reference, s.TrainedWithPinyin);
        refTokens.Add(" ");
        using var scope = NewDisposeScope();
        var refMel = language.RenderMel(refTokens, new Generator(7)).t();                 // n_ref d
        int refFrames = (int)refMel.shape[0];
        var gens = s.Texts ?? CodebookCorpus.HeldOut;
        int b = gens.Count;
        var expected = gens.Select(g => CodebookCorpus.Tokens(g, s.TrainedWithPinyin)).ToList();
        var inferText = gens.Select(g =>
        {
            var joined = reference + " " + g;
            return (IReadOnlyList<string>)(s.InferencePinyin ? CharToPinyin.Convert([joined])[0] : PythonStr.CodePoints(joined));
        }).ToList();
        var text = TextTokenizer.ListStrToIdx(inferText, vocab);
        var cond = refMel.unsqueeze(0).expand(b, -1, -1).contiguous();                   // b n_ref d
        var duration = tensor(expected.Select(e => (long)(refFrames + e.Count)).ToArray());
        using var result = model.Sample(cond, text, duration, new SampleOptions
        {
            Steps = s.Steps, CfgStrength = s.CfgStrength, SwaySamplingCoef = s.SwaySamplingCoef, Seed = seed,
        });
        return Enumerable.Range(0, b)
            .Select(i => result.Output[i].narrow(0, refFrames, expected[i].Count).to(float32).t().contiguous().MoveToOuterDisposeScope())
            .ToList();
    }

    public static CodebookEvaluationResult Run(CFM model, CodebookLanguage language, CodebookEvaluationSettings? settings = null)
    {
        var s = settings ?? new CodebookEvaluationSettings();
        var expected = (s.Texts ?? CodebookCorpus.HeldOut).Select(g => CodebookCorpus.Tokens(g, s.TrainedWithPinyin)).ToList();
        int hits = 0, total = 0, fHits = 0, fTotal = 0;
        var perSeed = new List<double>();
        foreach (long seed in s.Seeds)
        {
            using var seedScope = NewDisposeScope();
            var mels = Generate(model, language, s, seed);
            int sh = 0, st = 0;
            for (int i = 0; i < mels.Count; i++)
            {
                var (h, t) = language.TokenHits(mels[i], expected[i]);
                sh += h; st += t;
                if (s.Focus is not null)
                {
                    var (fh, ft) = language.TokenHits(mels[i], expected[i], s.Focus);
                    fHits += fh; fTotal += ft;
                }
            }
            hits += sh; total += st;
            perSeed.Add((double)sh / st);
        }
        return new CodebookEvaluationResult((double)hits / total, fTotal == 0 ? double.NaN : (double)fHits / fTotal,
            total, fTotal, perSeed);
    }
}

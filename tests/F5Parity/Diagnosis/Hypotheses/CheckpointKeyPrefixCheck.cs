using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Runs;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// The static check <c>checkpoint-key-prefix</c>: the weights a path loads carry a wrapper's prefix on every key
/// (<see cref="KeyPrefix"/>), so upstream's strict load fails before anything is sampled. One line naming the prefix
/// and the fix, instead of the strict load's list of every missing and every unexpected key. An error on a checkpoint
/// of the two configured paths is the verdict (<see cref="Verdict.CannotLoad"/>); on the other checkpoint (a probe) a
/// warning.
/// </summary>
public static class CheckpointKeyPrefixCheck
{
    public const string Id = "checkpoint-key-prefix";

    /// <summary>True for a finding that says a configured path's checkpoint cannot load.</summary>
    public static bool CannotLoad(StaticFinding f) => f.Check == Id && f.Severity == Severity.Error;

    /// <summary>The prefix of the weights <paramref name="useEma"/> selects, or null (also when that set is absent).</summary>
    public static KeyPrefix? Find(TrainerCheckpoint ck, bool useEma)
    {
        try { return KeyPrefix.Find(ck.InferenceStateDict(useEma).Keys); }
        catch (Errors.CheckpointFormatException) { return null; } // the weight set is absent: checkpoint-layout says so
    }

    /// <summary>Adds one finding for <paramref name="ck"/> when a weight set a path loads from it has a common prefix.</summary>
    public static void Run(TrainerCheckpoint ck, RunSpec trainer, RunSpec infer, List<StaticFinding> findings)
    {
        bool configured = ck.Path == trainer.Checkpoint || ck.Path == infer.Checkpoint;
        var sets = new List<bool>();
        if (ck.Path == trainer.Checkpoint) sets.Add(trainer.UseEma);
        if (ck.Path == infer.Checkpoint) sets.Add(infer.UseEma);
        if (!configured) sets.Add(trainer.UseEma || TrainerCheckpoint.IsEmaOnly(ck.Path)); // as the checkpoint theory loads it
        var found = sets.Distinct().Select(ema => (Ema: ema, Prefix: Find(ck, ema))).Where(x => x.Prefix is not null).ToList();
        if (found.Count == 0) return;
        var p = found[0].Prefix!;
        string which = string.Join(" and ", found.Select(x => x.Ema ? "EMA" : "raw"));
        string alternative = p.Prefix == TrainerCheckpoint.EmaPrefix ? " (or load the EMA: use_ema=True)" : "";
        findings.Add(new(Id, configured ? Severity.Error : Severity.Warning,
            $"{StaticChecks.Short(ck.Path)}: every key of the {which} weights starts with '{p.Prefix}' ({p.Origin}), so upstream's strict load_state_dict fails; strip it: `{p.Fix}`{alternative}",
            "checkpoint"));
    }
}

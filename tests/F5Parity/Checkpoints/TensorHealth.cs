using F5Parity.Errors;
using static TorchSharp.torch;

namespace F5Parity.Checkpoints;

/// <summary>One tensor of a state dict that holds NaN or infinite values.</summary>
/// <param name="Name">The state-dict key.</param>
/// <param name="Elements">numel of the tensor.</param>
/// <param name="NaN">How many elements are NaN.</param>
/// <param name="PositiveInfinity">How many are +inf.</param>
/// <param name="NegativeInfinity">How many are -inf.</param>
public sealed record NonFiniteTensor(string Name, long Elements, long NaN, long PositiveInfinity, long NegativeInfinity)
{
    public override string ToString()
    {
        var parts = new List<string>();
        if (NaN > 0) parts.Add($"{NaN} NaN");
        if (PositiveInfinity > 0) parts.Add($"{PositiveInfinity} +inf");
        if (NegativeInfinity > 0) parts.Add($"{NegativeInfinity} -inf");
        return $"{Name} ({string.Join(", ", parts)} of {Elements})";
    }
}

/// <summary>
/// Finds weights that are not finite. Upstream loads a checkpoint with NaN or Inf weights without a word and then
/// samples NaN mels (silence or noise after the vocoder); this names the tensors so the report can say why.
/// Integer and boolean tensors (the EMA <c>step</c>/<c>initted</c>, <c>inv_freq</c> is float) are skipped.
/// </summary>
public static class TensorHealth
{
    /// <summary>Every floating-point tensor with at least one NaN/±inf element, in key order.</summary>
    public static IReadOnlyList<NonFiniteTensor> NonFinite(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        var found = new List<NonFiniteTensor>();
        foreach (var (name, t) in stateDict.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!t.is_floating_point() || t.numel() == 0) continue;
            using var scope = NewDisposeScope();
            if (t.isfinite().all().item<bool>()) continue;
            long nan = t.isnan().sum().item<long>();
            long pos = t.isposinf().sum().item<long>();
            long neg = t.isneginf().sum().item<long>();
            found.Add(new NonFiniteTensor(name, t.numel(), nan, pos, neg));
        }
        return found;
    }

    /// <summary>
    /// Throws a <see cref="CheckpointFormatException"/> naming <paramref name="path"/> and the first tensors (at most
    /// <paramref name="listed"/>) that hold NaN or infinite values; does nothing when every weight is finite.
    /// </summary>
    public static void ThrowIfNonFinite(string path, IReadOnlyDictionary<string, Tensor> stateDict, int listed = 5)
    {
        var bad = NonFinite(stateDict);
        if (bad.Count == 0) return;
        string names = string.Join("; ", bad.Take(listed));
        string more = bad.Count > listed ? $"; and {bad.Count - listed} more" : "";
        throw new CheckpointFormatException(path,
            $"{bad.Count} tensor(s) hold non-finite weights, so every sample would be NaN: {names}{more}");
    }

    /// <summary>Checks both weight sets of a checkpoint (raw, then EMA) and throws on the first one that is unhealthy.</summary>
    public static void ThrowIfNonFinite(TrainerCheckpoint checkpoint)
    {
        if (checkpoint.ModelStateDict is { } raw) ThrowIfNonFinite(checkpoint.Path + " [model_state_dict]", raw);
        if (checkpoint.EmaModelStateDict is { } ema) ThrowIfNonFinite(checkpoint.Path + " [ema_model_state_dict]", ema);
    }
}

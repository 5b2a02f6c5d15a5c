namespace F5Parity.Checkpoints;

/// <summary>
/// A prefix that every key of a state dict carries where upstream's <c>CFM.load_state_dict</c> (strict) expects the
/// model's own names (<c>transformer.*</c>): the attribute name of a wrapper the weights were saved through —
/// <c>module.</c> (DistributedDataParallel, or accelerate without <c>unwrap_model</c>), <c>_orig_mod.</c>
/// (<c>torch.compile</c>), <c>ema_model.</c> (ema-pytorch's EMA keys loaded as raw weights). The strict load then
/// fails with every key missing and every key unexpected; stripping the prefix is the whole fix.
/// </summary>
/// <param name="Prefix">The common prefix, e.g. "module." or "module._orig_mod.".</param>
/// <param name="Origin">What saves keys like that, in words.</param>
public sealed record KeyPrefix(string Prefix, string Origin)
{
    /// <summary>The keys the model's own state dict starts with (the CFM's DiT).</summary>
    public const string ModelRoot = "transformer.";

    /// <summary>EMA bookkeeping: not weights, kept or dropped as they are.</summary>
    static readonly string[] Bookkeeping = ["initted", "step"];

    static readonly (string Segment, string Origin)[] Known =
    [
        ("module.", "saved from a DDP-wrapped model"),
        ("_orig_mod.", "saved from a torch.compile'd model"),
        (TrainerCheckpoint.EmaPrefix, "EMA keys where raw weights are loaded"),
    ];

    /// <summary>The Python line that strips it from a state dict <c>sd</c>.</summary>
    public string Fix => $"{{k.removeprefix('{Prefix}'): v for k, v in sd.items()}}";

    /// <summary>
    /// The prefix shared by every key (EMA bookkeeping aside) when stripping it — one dotted segment at a time, at most
    /// three — gives keys of the model (<see cref="ModelRoot"/>); null when the keys are already the model's, or share
    /// no such prefix (another fault, which the strict load names).
    /// </summary>
    public static KeyPrefix? Find(IEnumerable<string> keys)
    {
        var rest = keys.Where(k => !Bookkeeping.Any(b => k == b || k.EndsWith("." + b, StringComparison.Ordinal))).ToList();
        if (rest.Count == 0 || rest.Any(IsModelKey)) return null;
        string prefix = "";
        var origins = new List<string>();
        for (int depth = 0; depth < 3; depth++)
        {
            int dot = rest[0].IndexOf('.');
            if (dot <= 0) return null;
            string segment = rest[0][..(dot + 1)];
            if (!rest.All(k => k.StartsWith(segment, StringComparison.Ordinal))) return null;
            prefix += segment;
            origins.Add(Known.FirstOrDefault(k => k.Segment == segment).Origin ?? $"'{segment}' is an outer wrapper's attribute");
            rest = rest.Select(k => k[segment.Length..]).ToList();
            if (rest.Any(IsModelKey)) return new KeyPrefix(prefix, string.Join(", then ", origins));
        }
        return null;
    }

    /// <summary>The same tensors under the stripped keys (bookkeeping keys stay as they are).</summary>
    public Dictionary<string, T> Strip<T>(IReadOnlyDictionary<string, T> stateDict) =>
        stateDict.ToDictionary(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal) ? kv.Key[Prefix.Length..] : kv.Key, kv => kv.Value, StringComparer.Ordinal);

    static bool IsModelKey(string k) => k.StartsWith(ModelRoot, StringComparison.Ordinal);
}

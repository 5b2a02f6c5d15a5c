using System.Collections;
using System.IO.Compression;
using F5Parity.Errors;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace F5Parity.Checkpoints;

/// <summary>How a checkpoint file is laid out.</summary>
public enum CheckpointLayout
{
    /// <summary><c>Trainer.save_checkpoint</c> output (model/trainer.py): model_state_dict, ema_model_state_dict, optimizer, scheduler, update.</summary>
    TrainerPt,
    /// <summary>A released <c>.safetensors</c>: the EMA state dict only (<c>ema_model.*</c> plus <c>initted</c>, <c>step</c>).</summary>
    ReleaseSafetensors,
    /// <summary>A flat state dict (<c>.pt</c> or <c>.safetensors</c>) with plain CFM keys (<c>transformer.*</c>).</summary>
    FlatStateDict,
}

/// <summary>
/// Everything an F5-TTS checkpoint file holds that matters to the diagnosis, read once: the raw (online) weights the
/// trainer samples with, the EMA weights inference uses by default, the EMA bookkeeping (<c>initted</c>, <c>step</c>),
/// the update counter, and whether optimizer/scheduler state is present. Tensors stay as stored (dtype, CPU).
/// </summary>
public sealed class TrainerCheckpoint : IDisposable
{
    public const string EmaPrefix = "ema_model.";

    /// <summary>Keys upstream's load_checkpoint deletes for backward compatibility (commit 305e3ea).</summary>
    public static readonly string[] LegacyMelKeys = ["mel_spec.mel_stft.mel_scale.fb", "mel_spec.mel_stft.spectrogram.window"];

    TrainerCheckpoint(string path, CheckpointLayout layout) { Path = path; Layout = layout; }

    public string Path { get; }
    public CheckpointLayout Layout { get; }

    /// <summary><c>model_state_dict</c>: the online weights (null in a release .safetensors).</summary>
    public IReadOnlyDictionary<string, Tensor>? ModelStateDict { get; private set; }

    /// <summary><c>ema_model_state_dict</c> exactly as stored (keys with <c>ema_model.</c>, plus <c>initted</c>/<c>step</c>).</summary>
    public IReadOnlyDictionary<string, Tensor>? EmaModelStateDict { get; private set; }

    /// <summary>The EMA <c>step</c> buffer: how many updates ema-pytorch believes it has seen.</summary>
    public long? EmaStep { get; private set; }

    /// <summary>The EMA <c>initted</c> buffer.</summary>
    public bool? EmaInitted { get; private set; }

    /// <summary>The top-level counter (<c>update</c>, or <c>step</c> in checkpoints before upstream commit f992c4e).</summary>
    public long? Update { get; private set; }

    /// <summary>Which top-level key held the counter: "update", "step" or null.</summary>
    public string? UpdateKey { get; private set; }

    public bool HasOptimizerState { get; private set; }
    public bool HasSchedulerState { get; private set; }

    /// <summary>
    /// The rule "a <c>.safetensors</c> is EMA": upstream's load_checkpoint wraps any .safetensors as
    /// <c>{"ema_model_state_dict": ...}</c> (infer/utils_infer.py:209-214), so such a file holds only EMA weights.
    /// </summary>
    public static bool IsEmaOnly(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a trainer <c>.pt</c> or a <c>.safetensors</c>; any fault becomes a <see cref="CheckpointFormatException"/>.</summary>
    public static TrainerCheckpoint Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "checkpoint file not found");
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return FromSafetensors(path);
        return FromPickle(path);
    }

    static TrainerCheckpoint FromSafetensors(string path)
    {
        var all = SafetensorsFile.Load(path);
        if (all.Keys.Any(k => k.StartsWith(EmaPrefix, StringComparison.Ordinal)))
        {
            var ck = new TrainerCheckpoint(path, CheckpointLayout.ReleaseSafetensors) { EmaModelStateDict = all };
            ck.ReadEmaBookkeeping();
            return ck;
        }
        return new TrainerCheckpoint(path, CheckpointLayout.FlatStateDict) { ModelStateDict = all };
    }

    static TrainerCheckpoint FromPickle(string path)
    {
        CheckPickleContainer(path);
        object root;
        try
        {
            using var fs = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(fs);
        }
        catch (Exception e) when (e is not F5ParityInputException)
        {
            throw new CheckpointFormatException(path, DescribeUnpickleFailure(e), e);
        }
        if (root is not IDictionary dict)
            throw new CheckpointFormatException(path, $"the pickle holds a {root?.GetType().Name ?? "null"}, not a dict (a whole pickled module is not supported: save its state_dict())");

        if (dict.Contains("model_state_dict") || dict.Contains("ema_model_state_dict"))
        {
            var ck = new TrainerCheckpoint(path, CheckpointLayout.TrainerPt)
            {
                ModelStateDict = dict.Contains("model_state_dict") ? TensorDict(path, "model_state_dict", dict["model_state_dict"]) : null,
                EmaModelStateDict = dict.Contains("ema_model_state_dict") ? TensorDict(path, "ema_model_state_dict", dict["ema_model_state_dict"]) : null,
                HasOptimizerState = dict.Contains("optimizer_state_dict"),
                HasSchedulerState = dict.Contains("scheduler_state_dict"),
            };
            foreach (var key in new[] { "update", "step" })
                if (dict.Contains(key) && dict[key] is IConvertible c) { ck.Update = c.ToInt64(null); ck.UpdateKey = key; break; }
            ck.ReadEmaBookkeeping();
            return ck;
        }
        var flat = TensorDict(path, "(root)", dict);
        bool ema = flat.Keys.Any(k => k.StartsWith(EmaPrefix, StringComparison.Ordinal));
        var result = new TrainerCheckpoint(path, ema ? CheckpointLayout.ReleaseSafetensors : CheckpointLayout.FlatStateDict);
        if (ema) { result.EmaModelStateDict = flat; result.ReadEmaBookkeeping(); }
        else result.ModelStateDict = flat;
        return result;
    }

    /// <summary>Rejects files PyBridge cannot read with a reason instead of a deep exception.</summary>
    static void CheckPickleContainer(string path)
    {
        var head = new byte[4];
        using (var fs = File.OpenRead(path))
        {
            if (fs.Length == 0) throw new CheckpointFormatException(path, "empty file");
            int n = fs.Read(head, 0, 4);
            if (n < 2) throw new CheckpointFormatException(path, "file too short to be a checkpoint");
        }
        if (head[0] == 0x80 && head[1] <= 5)
            throw new CheckpointFormatException(path, "legacy (non-zip) torch.save format; re-save it with torch.save(obj, path) on torch >= 1.6 (zip format)");
        if (head[0] != (byte)'P' || head[1] != (byte)'K')
            throw new CheckpointFormatException(path, "not a torch.save zip archive nor a .safetensors file (unknown magic bytes)");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (!zip.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)))
                throw new CheckpointFormatException(path, "zip archive without a data.pkl entry: not a torch.save file");
            ZipIntegrity.Verify(path, zip);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointFormatException(path, $"corrupt or truncated zip archive ({e.Message})", e);
        }
    }

    static string DescribeUnpickleFailure(Exception e) => e switch
    {
        InvalidCastException when e.Message.Contains("ClassDict", StringComparison.Ordinal) =>
            "the pickle holds a Python object, not a dict of tensors: a whole module saved with torch.save(model) is not supported; save its state_dict() instead",
        NotImplementedException => $"this pickle uses a construct the reader does not support ({e.Message})",
        InvalidDataException or EndOfStreamException => $"corrupt or truncated data ({e.Message})",
        _ => $"could not be unpickled ({e.GetType().Name}: {e.Message})",
    };

    static Dictionary<string, Tensor> TensorDict(string path, string what, object? value)
    {
        if (value is not IDictionary d) throw new CheckpointFormatException(path, $"'{what}' is not a dict");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in d)
        {
            if (e.Value is Tensor t) result[(string)e.Key] = t;
            else throw new CheckpointFormatException(path, $"'{what}' entry '{e.Key}' is a {e.Value?.GetType().Name ?? "null"}, not a tensor");
        }
        return result;
    }

    void ReadEmaBookkeeping()
    {
        if (EmaModelStateDict is null) return;
        if (EmaModelStateDict.TryGetValue("step", out var s)) EmaStep = s.to(ScalarType.Int64).item<long>();
        if (EmaModelStateDict.TryGetValue("initted", out var i)) EmaInitted = i.to(ScalarType.Bool).item<bool>();
    }

    /// <summary>
    /// The state dict upstream's <c>utils_infer.load_checkpoint</c> would pass to <c>CFM.load_state_dict</c>:
    /// with <paramref name="useEma"/> the EMA dict with every "ema_model." removed (<c>str.replace</c>, anywhere in
    /// the key), <c>initted</c>/<c>step</c> dropped and the two legacy mel buffers deleted; without it the raw
    /// <c>model_state_dict</c> — which a release .safetensors does not have, so its whole content is returned as
    /// upstream does, and the strict load then fails on the "ema_model." keys exactly like upstream.
    /// </summary>
    public Dictionary<string, Tensor> InferenceStateDict(bool useEma)
    {
        if (useEma)
        {
            var ema = EmaModelStateDict ?? (Layout == CheckpointLayout.FlatStateDict && IsEmaOnly(Path)
                ? ModelStateDict // upstream wraps any .safetensors as the EMA dict
                : null);
            if (ema is null)
                throw new CheckpointFormatException(Path, "use_ema=True but the checkpoint has no 'ema_model_state_dict' (upstream raises KeyError here)");
            var sd = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (k, v) in ema)
                if (k is not ("initted" or "step")) sd[k.Replace(EmaPrefix, "", StringComparison.Ordinal)] = v;
            foreach (var k in LegacyMelKeys) sd.Remove(k);
            return sd;
        }
        if (ModelStateDict is not null) return new Dictionary<string, Tensor>(ModelStateDict, StringComparer.Ordinal);
        if (Layout == CheckpointLayout.ReleaseSafetensors && EmaModelStateDict is not null)
            return new Dictionary<string, Tensor>(EmaModelStateDict, StringComparer.Ordinal);
        throw new CheckpointFormatException(Path, "use_ema=False but the checkpoint has no 'model_state_dict' (raw weights)");
    }

    public void Dispose()
    {
        foreach (var t in (ModelStateDict?.Values ?? []).Concat(EmaModelStateDict?.Values ?? [])) t.Dispose();
    }
}

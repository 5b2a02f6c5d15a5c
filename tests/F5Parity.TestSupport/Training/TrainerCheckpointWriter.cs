using System.Collections;
using System.IO.Compression;
using F5Parity.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace F5Parity.Training;

/// <summary>
/// Writes checkpoints in upstream's layouts. <see cref="Write"/>: <c>Trainer.save_checkpoint</c>'s dict
/// (<c>model_state_dict</c>, <c>optimizer_state_dict</c>, <c>ema_model_state_dict</c> with <c>initted</c>/<c>step</c>
/// and <c>ema_model.</c> keys, <c>scheduler_state_dict</c>, <c>update</c>) pickled by TorchSharp.PyBridge so Python's
/// <c>torch.load(path, weights_only=True)</c> reads it. <see cref="WriteRelease"/>: the EMA state dict alone as a
/// <c>.safetensors</c>, the layout of released models. Both are byte-reproducible: dict order fixed, zip entries
/// stored uncompressed with a fixed timestamp. Neither overwrites an existing file unless told to.
/// </summary>
public static class TrainerCheckpointWriter
{
    static readonly DateTimeOffset FixedTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Writes the trainer's current state (online weights, AdamW, EMA, scheduler, update counter); with
    /// <paramref name="ema"/>, that EMA is saved instead of the trainer's own.
    /// </summary>
    public static void Write(string path, FlowMatchingTrainer trainer, Ema? ema = null, bool overwrite = false)
    {
        using var scope = NewDisposeScope();
        var model = trainer.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var emaSd = (ema ?? trainer.Ema).StateDict();
        using var ms = new MemoryStream();
        trainer.Optimizer.save_py(ms, leaveOpen: true);
        ms.Position = 0;
        var optimizer = PyTorchUnpickler.UnpickleStateDict(ms, leaveOpen: true);
        Write(path, model, optimizer, emaSd, trainer.SchedulerStateDict(), trainer.Update, overwrite);
    }

    /// <summary>Writes the dict <c>Trainer.save_checkpoint</c> saves from its parts.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> modelStateDict, IDictionary? optimizerStateDict,
        IReadOnlyDictionary<string, Tensor> emaStateDict, IDictionary? schedulerStateDict, long update, bool overwrite = false)
    {
        if (File.Exists(path) && !overwrite) throw new IOException($"{path}: exists already; refusing to overwrite it");
        var root = new Hashtable(StableKeyComparer.Instance)
        {
            ["model_state_dict"] = Ordered(modelStateDict.ToDictionary(kv => (object)kv.Key, kv => (object?)kv.Value)),
            ["optimizer_state_dict"] = optimizerStateDict is null ? null : Ordered(optimizerStateDict),
            ["ema_model_state_dict"] = Ordered(emaStateDict.ToDictionary(kv => (object)kv.Key, kv => (object?)kv.Value)),
            ["scheduler_state_dict"] = schedulerStateDict is null ? null : Ordered(schedulerStateDict),
            ["update"] = update,
        };
        using var raw = new MemoryStream();
        PyTorchPickler.PickleStateDict(raw, root, leaveOpen: true);
        raw.Position = 0;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        using (var fs = File.Create(tmp))
            Repack(raw, fs);
        File.Move(tmp, path, overwrite);
    }

    /// <summary>Writes an EMA state dict (<c>ema_model.*</c> + <c>initted</c> + <c>step</c>) as a release .safetensors.</summary>
    public static void WriteRelease(string path, IReadOnlyDictionary<string, Tensor> emaStateDict, bool overwrite = false)
    {
        if (!emaStateDict.Keys.Any(k => k.StartsWith(TrainerCheckpoint.EmaPrefix, StringComparison.Ordinal)))
            throw new ArgumentException("a release file holds the EMA state dict: keys must start with 'ema_model.'");
        SafetensorsFile.Save(path, emaStateDict, overwrite: overwrite);
    }

    /// <summary>Copies a zip with entries in the same order, stored, with one fixed timestamp.</summary>
    static void Repack(Stream source, Stream target)
    {
        using var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        using var output = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var e in input.Entries)
        {
            var copy = output.CreateEntry(e.FullName, CompressionLevel.NoCompression);
            copy.LastWriteTime = FixedTime;
            using var from = e.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    /// <summary>Recursively turns dicts into insertion-ordered ones with sorted keys (Hashtable order varies per process).</summary>
    static object? Ordered(object? value) => value switch
    {
        IDictionary d => OrderedDict(d),
        IList l when value is not Tensor => new ArrayList(l.Cast<object?>().Select(Ordered).ToList()),
        _ => value,
    };

    static Dictionary<object, object?> OrderedDict(IDictionary d)
    {
        var keys = d.Keys.Cast<object>().ToList();
        // state dicts keep their (insertion) order; only unordered Hashtables are sorted
        if (d is Hashtable) keys = keys.OrderBy(k => k is string ? 1 : 0).ThenBy(k => k is string s ? s : null, StringComparer.Ordinal)
            .ThenBy(k => k is IConvertible c and not string ? c.ToInt64(null) : 0).ToList();
        var result = new Dictionary<object, object?>();
        foreach (var k in keys) result[k] = Ordered(d[k]);
        return result;
    }

    /// <summary>A string/number comparer whose hash does not change between processes.</summary>
    sealed class StableKeyComparer : IEqualityComparer
    {
        public static readonly StableKeyComparer Instance = new();
        public new bool Equals(object? x, object? y) => object.Equals(x, y);
        public int GetHashCode(object obj)
        {
            if (obj is not string s) return obj.GetHashCode();
            unchecked
            {
                int h = (int)2166136261;
                foreach (char c in s) h = (h ^ c) * 16777619;
                return h & 0x7fffffff;
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text;
using F5Parity.Errors;
using static TorchSharp.torch;

[assembly: InternalsVisibleTo("F5Parity.Tests")]

namespace F5Parity.Checkpoints;

/// <summary>
/// Strict state-dict loading in the manner of PyTorch's <c>load_state_dict(strict=True)</c>: every key of the module must
/// be present with the same shape and no other key may be; otherwise nothing is copied and a
/// <see cref="CheckpointFormatException"/> lists the missing, unexpected and mis-shaped keys.
/// </summary>
internal static class StateDictLoader
{
    /// <param name="module">Target module; its persistent parameters and buffers are overwritten in place.</param>
    /// <param name="sd">Key → tensor, keys as the module names them (any prefix already removed).</param>
    /// <param name="sourcePath">The file the tensors came from, named in the error.</param>
    public static void LoadStrict(nn.Module module, IDictionary<string, Tensor> sd, string sourcePath)
    {
        var own = CheckStrict(module, sd.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal), sourcePath);
        using var noGrad = no_grad();
        foreach (var (key, target) in own)
        {
            using var source = sd[key].to(target.dtype, target.device);
            target.copy_(source);
        }
    }

    /// <summary>
    /// The strict check alone, on key → shape: throws the same <see cref="CheckpointFormatException"/> as
    /// <see cref="LoadStrict"/> and returns the module's own state dict (the tensors to fill) when everything fits.
    /// </summary>
    public static Dictionary<string, Tensor> CheckStrict(nn.Module module, IReadOnlyDictionary<string, long[]> shapes, string sourcePath)
    {
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !shapes.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var unexpected = shapes.Keys.Where(k => !own.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var misShaped = own.Keys.Where(k => shapes.TryGetValue(k, out var s) && !s.SequenceEqual(own[k].shape))
            .OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => $"{k} (checkpoint {Describe(shapes[k])}, model {Describe(own[k].shape)})")
            .ToList();

        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            var fault = new StringBuilder($"does not fit the {module.GetType().Name} model:");
            if (missing.Count > 0) fault.Append($" missing key(s) [{string.Join(", ", missing)}];");
            if (unexpected.Count > 0) fault.Append($" unexpected key(s) [{string.Join(", ", unexpected)}];");
            if (misShaped.Count > 0) fault.Append($" size mismatch for [{string.Join(", ", misShaped)}];");
            throw new CheckpointFormatException(sourcePath, fault.ToString().TrimEnd(';'));
        }
        return own;
    }

    static string Describe(long[] shape) => "[" + string.Join(", ", shape) + "]";
}

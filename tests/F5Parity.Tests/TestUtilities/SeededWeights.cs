using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using F5Parity.Model;
using TorchSharp;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// A DiT whose weights are regenerated from a <c>weights_recipe.json</c> (shared reference-base, or one written by
/// scripts/make_reference.py) instead of read from a file: <c>torch.manual_seed(seed)</c> once, then for each key of
/// the state dict in ordinal order, <c>randn(shape) * std</c>, skipping the kept buffers. libtorch's CPU generator is
/// PyTorch's (mt19937 + the same Box-Muller kernels), so the weights are the same bits; every tensor's sha256 is
/// checked against the recipe, and a mismatch names the tensor.
/// </summary>
public static class SeededWeights
{
    public static DiT Build(string recipePath)
    {
        var recipe = JsonNode.Parse(File.ReadAllText(recipePath))!.AsObject();
        var dit = new DiT(DiTConfig.FromJsonFile(recipePath));
        try
        {
            Fill(dit, recipe, recipePath);
            dit.eval();
            return dit;
        }
        catch
        {
            dit.Dispose();
            throw;
        }
    }

    static void Fill(DiT dit, JsonObject recipe, string recipePath)
    {
        using var noGrad = no_grad();
        var keyOrder = recipe["key_order"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
        var kept = recipe["kept"]!.AsObject().Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var hashes = recipe["sha256_per_tensor"]!.AsObject();
        var sd = dit.state_dict();
        sd.Keys.Order(StringComparer.Ordinal).Should().Equal(keyOrder, $"the port's state-dict keys in ordinal order are {recipePath}'s key_order");

        using var generator = new Generator(recipe["seed"]!.GetValue<ulong>(), new Device(DeviceType.CPU));
        using var std = recipe["std"]!.GetValue<double>().ToScalar();
        using var full = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var mismatches = new List<string>();
        foreach (var key in keyOrder)
        {
            var target = sd[key];
            if (!kept.Contains(key))
            {
                using var draw = randn(target.shape, dtype: ScalarType.Float32, generator: generator);
                using var scaled = draw.mul(std);
                target.copy_(scaled);
            }
            var bytes = Bytes(target);
            full.AppendData(bytes);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (hash != hashes[key]!.GetValue<string>()) mismatches.Add(key);
        }
        if (mismatches.Count > 0)
            throw new XunitException($"{mismatches.Count} regenerated tensors differ from {recipePath}'s sha256, first: " +
                string.Join(", ", mismatches.Take(5)) + " (the CPU's randn kernel or the key order differs from PyTorch's)");
        Convert.ToHexStringLower(full.GetHashAndReset()).Should().Be(recipe["sha256_full_state_dict"]!.GetValue<string>(),
            "the whole state dict, concatenated in key order, is upstream's");
    }

    /// <summary>The tensor's float32 values as little-endian bytes (x86/ARM are little-endian).</summary>
    static byte[] Bytes(Tensor t)
    {
        using var contiguous = t.contiguous();
        return MemoryMarshal.AsBytes(contiguous.data<float>().ToArray().AsSpan()).ToArray();
    }
}

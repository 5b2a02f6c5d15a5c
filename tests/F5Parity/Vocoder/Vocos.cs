using System.Collections;
using F5Parity.Checkpoints;
using F5Parity.Errors;
using TorchSharp;
using TorchSharp.PyBridge;
using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Vocoder;

/// <summary>
/// The Vocos vocoder (gemelo-ai/vocos, vocos/pretrained.py) as upstream F5-TTS uses it: <c>decode(mel)</c> =
/// <see cref="VocosBackbone"/> then <see cref="ISTFTHead"/>. Loads a vocos-mel-24khz style folder: <c>config.yaml</c>
/// plus <c>pytorch_model.bin</c> (torch zip pickle) or a <c>.safetensors</c> file of the same state dict. The
/// checkpoint's <c>feature_extractor.*</c> buffers (mel window and filterbank, used only by <c>Vocos.forward</c> on
/// raw audio) are accepted and not used; every other key must match this module's names and shapes, as a strict
/// <c>load_state_dict</c> requires.
/// </summary>
public sealed class Vocos : nn.Module<Tensor, Tensor>, IVocoder
{
    const string FeatureExtractorPrefix = "feature_extractor.";

#pragma warning disable IDE1006 // state-dict names
    readonly VocosBackbone backbone;
    readonly ISTFTHead head;
#pragma warning restore IDE1006

    public Vocos(VocosConfig config) : base(nameof(Vocos))
    {
        Config = config;
        backbone = new VocosBackbone(config.InputChannels, config.Dim, config.IntermediateDim, config.NumLayers);
        head = new ISTFTHead(config.Dim, config.NFft, config.HopLength);
        RegisterComponents();
        eval();
    }

    public VocosConfig Config { get; }
    public string Name => "vocos";

    /// <summary>
    /// Loads <c>config.yaml</c> and the weights from a folder: <c>pytorch_model.bin</c> if present, else
    /// <c>model.safetensors</c>.
    /// </summary>
    public static Vocos FromFolder(string folder)
    {
        var config = Path.Combine(folder, "config.yaml");
        foreach (var name in new[] { "pytorch_model.bin", "model.safetensors" })
        {
            var weights = Path.Combine(folder, name);
            if (File.Exists(weights)) return Load(config, weights);
        }
        throw new CheckpointFormatException(folder, "no vocos weights found (expected pytorch_model.bin or model.safetensors)");
    }

    /// <summary>Builds the model from <paramref name="configPath"/> and loads <paramref name="weightsPath"/> (.bin/.pt or .safetensors).</summary>
    public static Vocos Load(string configPath, string weightsPath) =>
        ScopeFree.Create(() => LoadHere(configPath, weightsPath)); // the vocoder outlives any caller's dispose scope

    static Vocos LoadHere(string configPath, string weightsPath)
    {
        var config = VocosConfig.FromYamlFile(configPath);
        var stateDict = ReadStateDict(weightsPath);
        try
        {
            var model = new Vocos(config);
            try { model.LoadStateDict(stateDict, weightsPath); }
            catch { model.Dispose(); throw; }
            return model;
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Reads a flat state dict: <c>.safetensors</c> through <see cref="SafetensorsFile"/>, anything else as a torch zip
    /// pickle through TorchSharp.PyBridge. Faults raise <see cref="CheckpointFormatException"/> naming the file.
    /// </summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "file not found");
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return SafetensorsFile.Load(path);
        object loaded;
        try { loaded = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointFormatException(path, $"not a readable torch.save zip checkpoint ({e.GetType().Name}: {e.Message})", e);
        }
        if (loaded is not IDictionary dict) throw new CheckpointFormatException(path, $"expected a state dict, found {loaded?.GetType().Name ?? "null"}");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in dict)
        {
            if (e.Key is not string key || e.Value is not Tensor t)
                throw new CheckpointFormatException(path, $"entry '{e.Key}' is not a named tensor (a nested checkpoint rather than a state dict?)");
            result[key] = t;
        }
        return result;
    }

    /// <summary>
    /// Copies a state dict into this model: every parameter and buffer must be present with its exact shape; keys other
    /// than <c>feature_extractor.*</c> that the model lacks are refused.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var own = state_dict();
        var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k) && !k.StartsWith(FeatureExtractorPrefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new CheckpointFormatException(source, $"unexpected key(s) for a VocosBackbone/ISTFTHead model built from config.yaml: {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? ", ..." : "")}");
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new CheckpointFormatException(source, $"missing key(s): {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}");
        using var noGrad = no_grad();
        foreach (var (name, target) in own)
        {
            var value = stateDict[name];
            if (!value.shape.SequenceEqual(target.shape))
                throw new CheckpointFormatException(source, $"tensor '{name}' has shape [{string.Join(", ", value.shape)}] but config.yaml implies [{string.Join(", ", target.shape)}]");
            if (!value.is_floating_point())
                throw new CheckpointFormatException(source, $"tensor '{name}' has dtype {value.dtype}; a floating-point tensor is expected");
            target.copy_(value.to(target.dtype));
        }
    }

    /// <summary>mel (b, n_mels, n) natural-log mel → wave (b, (n − 1) · hop_length).</summary>
    public Tensor Decode(Tensor mel)
    {
        if (mel.dim() != 3 || mel.shape[1] != Config.InputChannels)
            throw new ArgumentException($"Vocos.Decode expects (b, {Config.InputChannels}, frames); got [{string.Join(", ", mel.shape)}]");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = backbone.forward(mel);          // (b, n, d)
        var audio = head.forward(x);            // (b, (n − 1) · hop)
        return audio.MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor mel) => Decode(mel);
}

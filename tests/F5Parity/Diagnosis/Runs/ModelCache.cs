using F5Parity.Audio;
using F5Parity.Checkpoints;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Errors;
using F5Parity.Model;
using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// The models the runs sample with, each loaded once per (checkpoint, weights, DiT config, dtype, mel front end) from
/// the checkpoints of <see cref="InputFiles"/>; a vocab that does not fit the model is refused for every spec.
/// </summary>
public sealed class ModelCache(InputFiles inputs, Device? device) : IDisposable
{
    readonly Dictionary<(string, bool, DiTConfig, Precision, string), CFM> _models = [];

    /// <summary>The model <paramref name="spec"/> samples with.</summary>
    public CFM For(RunSpec spec)
    {
        // checked for every spec, not only when the model is first loaded: the cache key has no vocab
        var vocab = inputs.Vocab(spec.VocabPath);
        if (vocab.Size != spec.ModelConfig.Config.TextNumEmbeds)
            throw new ConfigurationException(spec.VocabPath,
                $"vocab has {vocab.Size} entries but the model was trained with text_num_embeds={spec.ModelConfig.Config.TextNumEmbeds}: upstream builds the model from the vocab size, so loading fails with a size mismatch on transformer.text_embed.text_embed.weight");
        var key = (spec.Checkpoint, spec.UseEma, spec.ModelConfig.Config, spec.Precision, spec.MelSpecType);
        if (!_models.TryGetValue(key, out var model))
            _models[key] = model = ModelLoader.Load(spec.ModelConfig.Config, inputs.Checkpoint(spec.Checkpoint), spec.UseEma,
                spec.Precision.ToScalarType(), device, ScopeFree.Create(() => new MelSpec(mel_spec_type: spec.MelSpecType)));
        return model;
    }

    public void Dispose()
    {
        foreach (var m in _models.Values) m.Dispose();
        _models.Clear();
    }
}

using F5Parity.Audio;
using TorchSharp;
using F5Parity.Model;
using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Checkpoints;

/// <summary>
/// Upstream's <c>load_model</c> + <c>load_checkpoint</c> (infer/utils_infer.py): build the CFM around a DiT of the
/// given config, cast it to the chosen dtype, then strictly load the raw or EMA weights from a trainer .pt or a
/// release .safetensors. Upstream picks fp16 on CUDA devices of compute capability >= 7 and fp32 otherwise; here
/// the dtype is always explicit so a hypothesis can flip it. Like upstream, the model is left in training mode:
/// <see cref="CFM.Sample"/> switches to eval itself.
/// </summary>
public static class ModelLoader
{
    public static CFM Load(DiTConfig config, string checkpointPath, bool useEma = true,
        ScalarType dtype = ScalarType.Float32, Device? device = null, MelSpec? melSpec = null)
    {
        if (useEma && TrainerCheckpoint.IsEmaOnly(checkpointPath) && File.Exists(checkpointPath))
            return LoadSafetensorsDirect(config, checkpointPath, dtype, device, melSpec);
        using var checkpoint = TrainerCheckpoint.Read(checkpointPath);
        return Load(config, checkpoint, useEma, dtype, device, melSpec);
    }

    /// <summary>
    /// The EMA weights of a .safetensors read straight into the new model's parameters (one copy of the weights in
    /// memory instead of two), with the same key mapping as <see cref="TrainerCheckpoint.InferenceStateDict"/>
    /// ("ema_model." removed, initted/step and the legacy mel buffers dropped) and the same strict check.
    /// </summary>
    static CFM LoadSafetensorsDirect(DiTConfig config, string path, ScalarType dtype, Device? device, MelSpec? melSpec)
    {
        var header = SafetensorsFile.ReadHeader(path);
        var byKey = new Dictionary<string, SafetensorsFile.Entry>(StringComparer.Ordinal);
        foreach (var e in header.Entries)
        {
            if (e.Name is "initted" or "step") continue;
            string key = e.Name.Replace(TrainerCheckpoint.EmaPrefix, "", StringComparison.Ordinal);
            if (TrainerCheckpoint.LegacyMelKeys.Contains(key)) continue;
            byKey[key] = e;
        }
        return Build(config, melSpec, dtype, device, model =>
        {
            var own = StateDictLoader.CheckStrict(model, byKey.ToDictionary(kv => kv.Key, kv => kv.Value.Shape, StringComparer.Ordinal), path);
            SafetensorsFile.ReadInto(path, header, byKey.ToDictionary(kv => kv.Value.Name, kv => own[kv.Key], StringComparer.Ordinal));
        });
    }

    /// <summary>Loads from a checkpoint already read (the same file can then serve raw and EMA models).</summary>
    public static CFM Load(DiTConfig config, TrainerCheckpoint checkpoint, bool useEma = true,
        ScalarType dtype = ScalarType.Float32, Device? device = null, MelSpec? melSpec = null)
    {
        return Build(config, melSpec, dtype, device,
            model => StateDictLoader.LoadStrict(model, checkpoint.InferenceStateDict(useEma), checkpoint.Path));
    }

    /// <summary>Builds the CFM, fills its weights, casts and moves it; a failed fill disposes the half-built model.
    /// Built outside any dispose scope of the caller (<see cref="ScopeFree"/>): the model outlives the call.</summary>
    static CFM Build(DiTConfig config, MelSpec? melSpec, ScalarType dtype, Device? device, Action<CFM> fillWeights) =>
        ScopeFree.Create(() =>
        {
            var model = new CFM(new DiT(config), melSpec);
            try
            {
                fillWeights(model);
                model.to(dtype);
                if (device is not null) model.to(device);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        });
}

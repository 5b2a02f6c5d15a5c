using System.Collections.Concurrent;
using F5Parity.Checkpoints;
using F5Parity.Model;
using F5Parity.Text;
using F5Parity.Vocoder;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Models of the reference cases, loaded once per test run and shared (tests only sample from them): the EMA model
/// from the release .safetensors (what inference loads), the raw model from the trainer .pt (what the trainer
/// samples), the vocab and the tiny Vocos the references were vocoded with.
/// </summary>
public static class CaseModels
{
    static readonly ConcurrentDictionary<(string, bool), CFM> Models = new();
    static readonly Lazy<Vocab> VocabLazy = new(() => Vocab.Load(ReferenceSet.Current.VocabPath));
    static readonly Lazy<Vocos> VocosLazy = new(() => Vocos.FromFolder(ReferenceSet.Current.PathOf("common/vocos_tiny")));

    /// <summary>EMA weights (useEma = true, release file) or raw weights (useEma = false, trainer .pt).</summary>
    public static CFM Get(ReferenceCase c, bool useEma) =>
        Models.GetOrAdd((c.Name, useEma), _ => ModelLoader.Load(c.Config, useEma ? c.ReleaseCheckpointPath : c.TrainerCheckpointPath, useEma));

    public static Vocab Vocab => VocabLazy.Value;
    public static IVocoder Vocoder => VocosLazy.Value;
}

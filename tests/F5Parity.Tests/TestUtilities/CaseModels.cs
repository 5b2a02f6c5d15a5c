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
    static readonly ConcurrentDictionary<string, Vocab> Vocabs = new();
    static readonly ConcurrentDictionary<string, Vocos> Vocoders = new();

    /// <summary>EMA weights (useEma = true, release file) or raw weights (useEma = false, trainer .pt).</summary>
    public static CFM Get(ReferenceCase c, bool useEma) =>
        Models.GetOrAdd((c.Folder, useEma), _ => ModelLoader.Load(c.Config, useEma ? c.ReleaseCheckpointPath : c.TrainerCheckpointPath, useEma));

    /// <summary>The vocab of a reference set (<c>vocab.txt</c>), loaded once.</summary>
    public static Vocab VocabOf(ReferenceSet set) => Vocabs.GetOrAdd(set.Root, _ => Vocab.Load(set.VocabPath));

    /// <summary>The tiny Vocos a reference set was vocoded with (<c>common/vocos_tiny</c>), loaded once.</summary>
    public static Vocos VocoderOf(ReferenceSet set) => Vocoders.GetOrAdd(set.Root, _ => Vocos.FromFolder(set.PathOf("common/vocos_tiny")));

    /// <summary>The vocab and vocoder of the reference set under test (<see cref="ReferenceSet.Current"/>).</summary>
    public static Vocab Vocab => VocabOf(ReferenceSet.Current);
    public static IVocoder Vocoder => VocoderOf(ReferenceSet.Current);
    public static int VocoderDepth => VocoderOf(ReferenceSet.Current).Config.NumLayers;
}

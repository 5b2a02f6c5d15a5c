using F5Parity.Audio;
using F5Parity.Checkpoints;
using F5Parity.Pipelines;
using F5Parity.Text;
using F5Parity.Torch;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// The diagnosis's input files, each read once and owned here: checkpoints, vocabs, reference WAVs, the clips after
/// <c>preprocess_ref_audio_text</c>, and reference mels registered by id. The runner samples from them and the static
/// checks read the same copies, so a file is judged as it is sampled.
/// </summary>
public sealed class InputFiles : IDisposable
{
    readonly Dictionary<string, TrainerCheckpoint> _checkpoints = [];
    readonly Dictionary<string, Vocab> _vocabs = [];
    readonly Dictionary<string, (Tensor Audio, int Rate)> _audio = [];
    readonly Dictionary<string, PreprocessRefAudioText.Result> _preprocessed = [];
    readonly Dictionary<string, Tensor> _mels = [];

    /// <summary>The checkpoint file.</summary>
    public TrainerCheckpoint Checkpoint(string path)
    {
        if (!_checkpoints.TryGetValue(path, out var ck)) _checkpoints[path] = ck = TrainerCheckpoint.Read(path);
        return ck;
    }

    /// <summary>The vocab file.</summary>
    public Vocab Vocab(string path)
    {
        if (!_vocabs.TryGetValue(path, out var v)) _vocabs[path] = v = Text.Vocab.Load(path);
        return v;
    }

    /// <summary>A reference WAV as torchaudio.load reads it.</summary>
    public (Tensor Audio, int Rate) Audio(string path)
    {
        // built outside any caller's dispose scope (static checks read it inside one): the cache outlives it
        if (!_audio.TryGetValue(path, out var a)) _audio[path] = a = ScopeFree.Create(() => WavFile.Read(path));
        return a;
    }

    /// <summary>The clip after preprocess_ref_audio_text's audio half (what the CLI flow exports and loads).</summary>
    public PreprocessRefAudioText.Result PreprocessedAudio(string path)
    {
        if (!_preprocessed.TryGetValue(path, out var r)) _preprocessed[path] = r = ScopeFree.Create(() => PreprocessRefAudioText.Audio(path));
        return r;
    }

    /// <summary>Registers a reference log-mel (d, n) under <paramref name="id"/> for specs with <see cref="RunSpec.RefMelId"/>.</summary>
    public void RegisterReferenceMel(string id, Tensor mel)
    {
        if (mel.dim() != 2) throw new ArgumentException($"reference mel '{id}' must be (d, n), got ({string.Join(", ", mel.shape)})");
        if (_mels.Remove(id, out var old)) old.Dispose();
        _mels[id] = mel.to(ScalarType.Float32).cpu().detach().clone();
    }

    /// <summary>The reference mel registered as <paramref name="id"/>; a caller's bug (not an input fault) when there is none.</summary>
    public Tensor ReferenceMel(string id) => _mels.TryGetValue(id, out var m) ? m
        : throw new InvalidOperationException($"no reference mel registered as '{id}'");

    public void Dispose()
    {
        foreach (var c in _checkpoints.Values) c.Dispose();
        foreach (var a in _audio.Values) a.Audio.Dispose();
        foreach (var p in _preprocessed.Values) p.Dispose();
        foreach (var m in _mels.Values) m.Dispose();
        _checkpoints.Clear(); _audio.Clear(); _preprocessed.Clear(); _mels.Clear(); _vocabs.Clear();
    }
}

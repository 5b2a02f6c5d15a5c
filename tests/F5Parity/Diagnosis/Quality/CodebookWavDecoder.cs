using F5Parity.Audio;
using F5Parity.Fixtures;
using F5Parity.Vocoder;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Quality;

/// <summary>
/// Reads a codebook language back from a WAV. The mel of the WAV itself cannot be decoded frame by frame: a codebook
/// frame is an independent spectrum every hop (256 samples), while the mel front end's window spans four hops, so
/// no waveform has that mel and any vocoder's output, re-analysed, smears each frame into its neighbours (measured
/// on the healthy fine-tune's trainer sample: frame correlation −0.04 through the tiny Vocos, 0.26 through
/// Griffin-Lim; nearest-signature token accuracy 0 for both, against 1.0 on the mel the model made; a free
/// coordinate-descent decode through the vocoder stuck at 0.18 from the smeared start). So each frame is checked by
/// synthesis with the vocoder that wrote the WAV, as forced alignment checks a transcript: the expected tokens are
/// rendered clean, and at frame j every vocab token in turn replaces the expected one; the token whose rendering,
/// vocoded and re-analysed, comes closest to the WAV's mel (mean squared log-mel difference over the clip) is what
/// frame j says. A frame that says its expected token picks it; a frame that says something else picks another
/// (chance 1/V on garbage). Frames past the expected tokens keep a space.
/// </summary>
public static class CodebookWavDecoder
{
    /// <summary>The clean (d, n) rendering of what each frame of <paramref name="wavMel"/> (d, n) says, each frame
    /// tested against every token with the others as <paramref name="expectedTokens"/>.</summary>
    public static Tensor Decode(CodebookLanguage language, IVocoder vocoder, MelSpec melSpec, Tensor wavMel, IReadOnlyList<string> expectedTokens)
    {
        using var scope = NewDisposeScope();
        var target = wavMel.to(ScalarType.Float32).cpu();
        int n = (int)target.shape[1];
        var tokensById = language.Vocab.Ids.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var context = Enumerable.Range(0, n).Select(j => j < expectedTokens.Count ? expectedTokens[j] : " ").ToArray();
        var said = (string[])context.Clone();
        for (int j = 0; j < Math.Min(n, expectedTokens.Count); j++)
        {
            var candidates = tokensById.Select(t => { var c = (string[])context.Clone(); c[j] = t; return c; }).ToList();
            using var loss = Loss(language, vocoder, melSpec, target, candidates);
            said[j] = tokensById[(int)loss.argmin().item<long>()];
        }
        return language.RenderMel(said, null).MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared log-mel difference between each candidate's vocoded rendering and the target, (B).</summary>
    static Tensor Loss(CodebookLanguage language, IVocoder vocoder, MelSpec melSpec, Tensor target, IReadOnlyList<string[]> candidates)
    {
        var mels = stack(candidates.Select(c => language.RenderMel(c, null)).ToArray());    // B d n
        var wave = vocoder.Decode(mels.to(vocoder is nn.Module m ? ModuleDevice(m) : CPU)).to(ScalarType.Float32).cpu();
        var again = melSpec.Forward(wave);                                                   // B d n'
        int k = (int)Math.Min(again.shape[^1], target.shape[^1]);
        return (again.narrow(2, 0, k) - target.narrow(1, 0, k).unsqueeze(0)).square().mean([1, 2]);
    }

    static Device ModuleDevice(nn.Module m) => m.parameters().FirstOrDefault()?.device ?? CPU;
}

namespace F5Parity.Pipelines;

/// <summary>
/// The text half of upstream's <c>preprocess_ref_audio_text</c> (infer/utils_infer.py), which the CLI and the API run
/// before <c>infer_process</c>: the reference text is made to end in ". " (or "。"). Together with the " " that
/// <c>infer_batch_process</c> adds after a one-byte last character, this is why the CLI flow feeds the model two
/// spaces after the reference text where a direct <c>infer_process</c> call feeds one. The audio half (silence split,
/// clip to 12 s, edge trim, 50 ms pad) is not ported yet; the diagnosis models only its hard 12 s cut.
/// </summary>
public static class PreprocessRefAudioText
{
    public static string RefText(string refText)
    {
        if (refText.EndsWith(". ", StringComparison.Ordinal) || refText.EndsWith('。')) return refText;
        return refText.EndsWith('.') ? refText + " " : refText + ". ";
    }
}

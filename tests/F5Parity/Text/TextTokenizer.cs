using F5Parity.Errors;
using static TorchSharp.torch;

namespace F5Parity.Text;

/// <summary>
/// Upstream's <c>list_str_to_idx</c> (model/utils.py): each text's tokens looked up with
/// <c>vocab_char_map.get(c, 0)</c>, then <c>pad_sequence(..., padding_value=-1, batch_first=True)</c>.
/// </summary>
public static class TextTokenizer
{
    /// <summary>Padding id of <c>list_str_to_idx</c> (the DiT's TextEmbedding shifts ids by +1, so -1 becomes 0).</summary>
    public const long PaddingValue = -1;

    /// <summary>
    /// Token lists (the output of <c>convert_char_to_pinyin</c>, or a dataset's token list) → ids.
    /// </summary>
    /// <param name="text">b token lists.</param>
    /// <returns>int64 (b, nt), nt = the longest list; shorter rows padded with -1.</returns>
    /// <exception cref="TextInputException">an empty batch, or an empty first text: upstream's
    /// <c>torch.tensor([])</c> is float32 and <c>pad_sequence</c> takes the first row's dtype, so the ids would be
    /// float and the text embedding would fail.</exception>
    public static Tensor ListStrToIdx(IReadOnlyList<IReadOnlyList<string>> text, Vocab vocab)
    {
        if (text.Count == 0)
            throw new TextInputException("list_str_to_idx text", "empty batch: upstream's pad_sequence raises on an empty list");
        if (text[0].Count == 0)
            throw new TextInputException("list_str_to_idx text[0]",
                "empty text: upstream builds torch.tensor([]) (float32) for it and pad_sequence gives the whole batch that dtype, which the text embedding rejects");
        int b = text.Count, nt = text.Max(t => t.Count);
        var ids = new long[b * nt];
        Array.Fill(ids, PaddingValue);
        for (int i = 0; i < b; i++)
            for (int j = 0; j < text[i].Count; j++)
                ids[i * nt + j] = vocab.IdOf(text[i][j]);
        return tensor(ids, [b, nt], ScalarType.Int64);
    }

    /// <summary>
    /// Plain strings → ids: Python iterates a <c>str</c> by code point, so a surrogate pair is one token here.
    /// </summary>
    /// <returns>int64 (b, nt), padded with -1.</returns>
    public static Tensor ListStrToIdx(IReadOnlyList<string> text, Vocab vocab) =>
        ListStrToIdx(text.Select(t => (IReadOnlyList<string>)PythonStr.CodePoints(t)).ToList(), vocab);
}
